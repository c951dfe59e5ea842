namespace Switchboard.Storage;

/// <summary>What spend is counted for: a key, a provider or a model.</summary>
/// <param name="Kind">The kind of thing.</param>
/// <param name="Name">The key's id, or the provider's or model's name.</param>
public readonly record struct SpendScope(SpendScopeKind Kind, string Name)
{
    /// <summary>Spend of a virtual key.</summary>
    public static SpendScope Key(string keyId) => new(SpendScopeKind.Key, keyId);

    /// <summary>Spend on a provider.</summary>
    public static SpendScope Provider(string provider) => new(SpendScopeKind.Provider, provider);

    /// <summary>Spend on a model.</summary>
    public static SpendScope Model(string model) => new(SpendScopeKind.Model, model);

    /// <summary>The ledger's name for the scope: <c>key:vk_...</c>, <c>provider:openai</c>, <c>model:gpt-4o</c>.</summary>
    public override string ToString() => Kind switch
    {
        SpendScopeKind.Key => "key:" + Name,
        SpendScopeKind.Provider => "provider:" + Name,
        SpendScopeKind.Model => "model:" + Name,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "unknown spend scope"),
    };
}
