using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>A whole chat completion (<c>chat.completion</c>).</summary>
public sealed record ChatResponse
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("object")] public string Object { get; init; } = "chat.completion";

    /// <summary>Unix time in seconds.</summary>
    [JsonPropertyName("created")] public long Created { get; init; }

    [JsonPropertyName("model")] public string Model { get; init; } = "";

    [JsonPropertyName("choices")] public List<ChatChoice> Choices { get; init; } = [];

    [JsonPropertyName("usage")] public ChatUsage? Usage { get; init; }

    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; init; }

    [JsonPropertyName("service_tier")] public string? ServiceTier { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
