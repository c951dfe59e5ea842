namespace Switchboard.Providers;

/// <summary>One call to a provider: the body in the provider's dialect, the key to use, and whether it streams.</summary>
public sealed record UpstreamCall(Provider Provider, string? ApiKey, string Model, ReadOnlyMemory<byte> Body, bool Stream)
{
    /// <summary>
    /// Headers of the client's request that belong to the body's dialect (Anthropic's <c>anthropic-beta</c> and
    /// <c>anthropic-version</c>), passed on only when the body goes through untranslated, since they describe it.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ClientHeaders { get; init; } = [];
}
