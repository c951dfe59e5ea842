namespace Switchboard.Routing.Rules;

/// <summary><c>a or b or c</c> as one flat list (see <see cref="AllNode"/>); stops at the first true.</summary>
internal sealed class AnyNode(RuleNode[] parts) : BooleanNode
{
    public override bool IsTrue(RoutingContext context)
    {
        foreach (var part in parts)
            if (part.IsTrue(context)) return true;
        return false;
    }
}
