namespace Switchboard.Routing.Rules;

/// <summary>
/// <c>x == null</c> or <c>x != null</c>. Compiled apart from other comparisons because a missing value compares
/// false with everything else, including another missing value.
/// </summary>
internal sealed class MissingTestNode(RuleNode operand, bool wantMissing) : BooleanNode
{
    public override bool IsTrue(RoutingContext context) => operand.Evaluate(context).IsMissing == wantMissing;
}
