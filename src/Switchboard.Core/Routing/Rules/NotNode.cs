namespace Switchboard.Routing.Rules;

/// <summary><c>not x</c> / <c>!x</c>.</summary>
internal sealed class NotNode(RuleNode operand) : BooleanNode
{
    public override bool IsTrue(RoutingContext context) => !operand.IsTrue(context);
}
