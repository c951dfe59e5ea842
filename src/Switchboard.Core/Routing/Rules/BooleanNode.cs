namespace Switchboard.Routing.Rules;

/// <summary>A node that is a test: its value is the bool its <see cref="RuleNode.IsTrue"/> computes.</summary>
internal abstract class BooleanNode : RuleNode
{
    public sealed override RuleValue Evaluate(RoutingContext context) => RuleValue.FromBool(IsTrue(context));

    public abstract override bool IsTrue(RoutingContext context);
}
