using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>One choice of a stream chunk.</summary>
public sealed record ChunkChoice
{
    [JsonPropertyName("index")] public int Index { get; init; }

    [JsonPropertyName("delta")] public ChatDelta Delta { get; init; } = new();

    [JsonPropertyName("finish_reason")] public string? FinishReason { get; init; }

    [JsonPropertyName("logprobs")] public JsonElement? Logprobs { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
