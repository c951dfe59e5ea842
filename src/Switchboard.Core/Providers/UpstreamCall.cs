namespace Switchboard.Providers;

/// <summary>One call to a provider: the body in the provider's dialect, the key to use, and whether it streams.</summary>
public sealed record UpstreamCall(Provider Provider, string? ApiKey, string Model, ReadOnlyMemory<byte> Body, bool Stream);
