namespace Switchboard.Configuration;

/// <summary>One entry of the <c>providers:</c> section.</summary>
public sealed record ProviderOptions
{
    /// <summary>The entry's name, which is also the prefix clients write: <c>name/model</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A known provider (<c>openai</c>, <c>groq</c>, ...), <c>openai-compatible</c> or <c>ollama</c>; defaults to the name.</summary>
    public string? Type { get; init; }

    public string? BaseUrl { get; init; }

    /// <summary>The keys to rotate through; each may hold several, comma-separated.</summary>
    public IReadOnlyList<SecretReference> ApiKeys { get; init; } = [];

    /// <summary>Extra headers sent upstream, such as OpenRouter's <c>HTTP-Referer</c> and <c>X-Title</c>.</summary>
    public IReadOnlyDictionary<string, SecretReference> Headers { get; init; } = new Dictionary<string, SecretReference>();
}
