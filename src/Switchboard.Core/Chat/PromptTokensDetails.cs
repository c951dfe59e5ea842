using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>The parts of the prompt read from or written to the provider's cache, among others.</summary>
public sealed record PromptTokensDetails
{
    [JsonPropertyName("cached_tokens")] public int? CachedTokens { get; init; }

    [JsonPropertyName("audio_tokens")] public int? AudioTokens { get; init; }

    /// <summary>
    /// Prompt tokens written to the provider's cache (Anthropic's and Bedrock's cache writes). OpenAI's shape has no
    /// field for them; this is the name LiteLLM gives them, so clients that know it can read them.
    /// </summary>
    [JsonPropertyName("cache_creation_tokens")] public int? CacheCreationTokens { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
