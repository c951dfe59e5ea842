using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>One choice of a whole completion.</summary>
public sealed record ChatChoice
{
    [JsonPropertyName("index")] public int Index { get; init; }

    [JsonPropertyName("message")] public ChatMessage Message { get; init; } = new() { Role = ChatRoles.Assistant };

    /// <summary><c>stop</c>, <c>length</c>, <c>tool_calls</c>, <c>content_filter</c>.</summary>
    [JsonPropertyName("finish_reason")] public string? FinishReason { get; init; }

    [JsonPropertyName("logprobs")] public JsonElement? Logprobs { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
