namespace Switchboard.Routing.Rules;

/// <summary>
/// <c>a and b and c</c>, kept as one flat list rather than nested pairs so a long chain neither recurses deeply
/// nor costs a call per level. Stops at the first false, so later parts (and the lazily scored complexity)
/// are not read.
/// </summary>
internal sealed class AllNode(RuleNode[] parts) : BooleanNode
{
    public override bool IsTrue(RoutingContext context)
    {
        foreach (var part in parts)
            if (!part.IsTrue(context)) return false;
        return true;
    }
}
