namespace Switchboard.Providers;

/// <summary>What Switchboard knows about a kind of provider before any config: its wire format, where it lives and which variables hold its credentials.</summary>
/// <param name="Name">The type name, also the default prefix clients write (<c>groq/...</c>).</param>
/// <param name="DisplayName">The name people use (<c>Groq</c>).</param>
/// <param name="Dialect">The wire format its chat API speaks.</param>
/// <param name="DefaultBaseUrl">Where its API lives, or null when it must be configured.</param>
/// <param name="KeyVariables">The conventional variables for its key, in order of preference; empty when it needs none.</param>
/// <param name="KeyExample">What a key looks like, for the message that tells a user to set one.</param>
/// <param name="ChatPath">The chat endpoint's path under the base URL.</param>
public sealed record ProviderDescriptor(
    string Name,
    string DisplayName,
    WireDialect Dialect,
    string? DefaultBaseUrl,
    IReadOnlyList<string> KeyVariables,
    string KeyExample,
    string ChatPath = "/chat/completions")
{
    /// <summary>Other prefixes that name this provider, such as <c>gemini/</c> for Google.</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];

    /// <summary>A variable that overrides the base URL, such as <c>OPENAI_BASE_URL</c>.</summary>
    public string? BaseUrlVariable { get; init; }

    /// <summary>Variables needed besides the key (Azure's endpoint, AWS's secret and region).</summary>
    public IReadOnlyList<(string Variable, string Example)> OtherVariables { get; init; } = [];

    /// <summary>Variables read when set but not needed (AWS's session token).</summary>
    public IReadOnlyList<string> OptionalVariables { get; init; } = [];

    /// <summary>True when the provider needs a key at all.</summary>
    public bool NeedsKey => KeyVariables.Count > 0;
}
