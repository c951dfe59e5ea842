using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>The part of the prompt read from the provider's cache, among others.</summary>
public sealed record PromptTokensDetails
{
    [JsonPropertyName("cached_tokens")] public int? CachedTokens { get; init; }

    [JsonPropertyName("audio_tokens")] public int? AudioTokens { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
