namespace Switchboard.Routing.Rules;

/// <summary>A literal: a number, text, true, false, null or a list of those.</summary>
internal sealed class ConstantNode(RuleValue value) : RuleNode
{
    public RuleValue Value { get; } = value;

    public override RuleValue Evaluate(RoutingContext context) => Value;
}
