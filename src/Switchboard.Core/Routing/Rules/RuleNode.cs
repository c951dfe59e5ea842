namespace Switchboard.Routing.Rules;

/// <summary>
/// One node of a parsed condition. Conditions are parsed once and evaluated per request, so nodes are small
/// immutable classes whose evaluation reads the context directly: no lookups by name, no allocation.
/// </summary>
internal abstract class RuleNode
{
    /// <summary>The node's value; a missing value where the context has none. Never throws.</summary>
    public abstract RuleValue Evaluate(RoutingContext context);

    /// <summary>The node in a boolean position (<c>and</c>, <c>or</c>, <c>not</c>, the whole condition): see <see cref="RuleValue.IsTruthy"/>.</summary>
    public virtual bool IsTrue(RoutingContext context) => Evaluate(context).IsTruthy;
}
