namespace Switchboard.Execution;

/// <summary>One upstream call: the deployment, <c>ok</c> or what went wrong (<c>rate_limited:429</c>, <c>timeout</c>, <c>circuit_open</c>), and its time.</summary>
public sealed record Attempt(string Provider, string Model, string Outcome, TimeSpan Time)
{
    public const string Ok = "ok";
    public const string CircuitOpen = Resilience.DeploymentRegistry.CircuitOpenCode;

    /// <summary>The outcome of a failure: its category in snake case, with the status code when the provider answered.</summary>
    public static string OutcomeOf(SwitchboardException error)
    {
        var category = error.Category switch
        {
            ErrorCategory.BadRequest => "bad_request",
            ErrorCategory.Authentication => "authentication",
            ErrorCategory.NotFound => "not_found",
            ErrorCategory.RateLimited => "rate_limited",
            ErrorCategory.Timeout => "timeout",
            ErrorCategory.Unavailable => "unavailable",
            ErrorCategory.ContextWindowExceeded => "context_window_exceeded",
            _ => "content_policy",
        };
        return error.Code == CircuitOpen ? CircuitOpen : error.UpstreamStatus is { } status ? $"{category}:{status}" : category;
    }
}
