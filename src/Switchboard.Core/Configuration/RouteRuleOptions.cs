namespace Switchboard.Configuration;

/// <summary>One rule of a <c>rules</c> route: when the condition holds, the target, and why (shown in the decision).</summary>
public sealed record RouteRuleOptions(string When, string Target)
{
    /// <summary>The text of <c>x-switchboard-rule</c> when this rule wins; the condition itself when not given.</summary>
    public string? Reason { get; init; }
}
