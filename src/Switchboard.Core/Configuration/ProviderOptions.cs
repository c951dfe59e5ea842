namespace Switchboard.Configuration;

/// <summary>One entry of the <c>providers:</c> section.</summary>
public sealed record ProviderOptions
{
    /// <summary>The entry's name, which is also the prefix clients write: <c>name/model</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A known provider (<c>openai</c>, <c>groq</c>, ...), <c>openai-compatible</c>, <c>ollama</c> or <c>command</c>; defaults to the name.</summary>
    public string? Type { get; init; }

    public string? BaseUrl { get; init; }

    /// <summary>The keys to rotate through; each may hold several, comma-separated.</summary>
    public IReadOnlyList<SecretReference> ApiKeys { get; init; } = [];

    /// <summary>Extra headers sent upstream, such as OpenRouter's <c>HTTP-Referer</c> and <c>X-Title</c>.</summary>
    public IReadOnlyDictionary<string, SecretReference> Headers { get; init; } = new Dictionary<string, SecretReference>();

    /// <summary>Azure OpenAI's <c>api-version</c> (<c>2024-10-21</c>, or <c>v1</c> for its versionless API); null for the default.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Which of Ollama's APIs to call: <c>openai</c> (its <c>/v1</c>, the default) or <c>native</c> (<c>/api/chat</c>); null for the default.</summary>
    public string? Api { get; init; }

    /// <summary>A command provider's program and arguments, with <c>{prompt}</c>, <c>{prompt_file}</c>, <c>{model}</c> and <c>{output_file}</c> to fill in.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>How long a command provider's program may run before it is stopped; null for the default.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Where a command provider's answer is read from: <c>stdout</c> (the default) or <c>file</c> (<c>{output_file}</c> after it exits).</summary>
    public string? Output { get; init; }
}
