namespace Switchboard.Routing.Rules;

/// <summary>
/// One <c>when:</c> condition of a <c>rules</c> route, such as <c>agent == 'pricing' and tokens &gt; 8000</c>.
/// Parsed once when the config loads into a small tree that is evaluated per request without reflection,
/// code generation, regular expressions or allocation.
/// </summary>
/// <remarks>
/// Evaluation never throws. A missing value (no <c>priority</c> sent, no agent) makes every comparison false
/// except <c>== null</c> and <c>!= null</c>; comparing values of different kinds (text with a number) is false
/// for everything but <c>!=</c>. A bare value where a test is expected (<c>has_tools</c>, <c>not agent</c>) is
/// true unless it is false, missing, 0, NaN, empty text or an empty list.
/// </remarks>
public sealed class RuleCondition
{
    private readonly RuleNode _root;

    private RuleCondition(string text, RuleNode root) => (Text, _root) = (text, root);

    /// <summary>The condition as written.</summary>
    public string Text { get; }

    /// <summary>Reads a condition.</summary>
    /// <exception cref="RuleSyntaxException">The condition is malformed; the message starts with the column and says what to write.</exception>
    public static RuleCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new RuleCondition(text, RuleParser.Parse(text));
    }

    /// <summary>Whether the request described by <paramref name="context"/> matches. Never throws for any context.</summary>
    public bool Evaluate(RoutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _root.IsTrue(context);
    }

    public override string ToString() => Text;
}
