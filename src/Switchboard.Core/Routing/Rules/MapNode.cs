namespace Switchboard.Routing.Rules;

/// <summary><c>metadata[key]</c> or <c>provider_status[key]</c>; a key that is not text reads as a missing value.</summary>
internal sealed class MapNode : RuleNode
{
    private readonly RuleField _map;
    private readonly RuleNode _key;

    // Nearly every condition indexes with a literal; keep it so evaluation skips the key node.
    private readonly string? _literalKey;

    public MapNode(RuleField map, RuleNode key)
    {
        _map = map;
        _key = key;
        _literalKey = key is ConstantNode { Value.Kind: RuleValueKind.Text } literal ? literal.Value.Text : null;
    }

    public override RuleValue Evaluate(RoutingContext context)
    {
        var key = _literalKey;
        if (key is null)
        {
            var value = _key.Evaluate(context);
            if (value.Kind != RuleValueKind.Text) return RuleValue.Missing;
            key = value.Text;
        }
        return _map == RuleField.Metadata ? Metadata(context, key) : ProviderStatus(context, key);
    }

    // Both maps are the caller's code (a dictionary of its choosing, a health lookup): a failure reads as a
    // missing value, because evaluation must never throw.
    private static RuleValue Metadata(RoutingContext context, string key)
    {
        try
        {
            return context.Metadata is { } metadata && metadata.TryGetValue(key, out var value) ? RuleValue.FromText(value) : RuleValue.Missing;
        }
        catch (Exception)
        {
            return RuleValue.Missing;
        }
    }

    private static RuleValue ProviderStatus(RoutingContext context, string key)
    {
        try
        {
            return context.ProviderStatus is { } status ? RuleValue.FromText(status(key)) : RuleValue.Missing;
        }
        catch (Exception)
        {
            return RuleValue.Missing;
        }
    }
}
