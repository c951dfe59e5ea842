using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>What a stream chunk adds to the message: text, tool-call fragments, or the role at the start.</summary>
public sealed record ChatDelta
{
    [JsonPropertyName("role")] public string? Role { get; init; }

    [JsonPropertyName("content")] public string? Content { get; init; }

    [JsonPropertyName("tool_calls")] public List<ToolCallDelta>? ToolCalls { get; init; }

    [JsonPropertyName("refusal")] public string? Refusal { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
