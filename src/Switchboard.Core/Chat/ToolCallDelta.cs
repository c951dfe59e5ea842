using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>
/// A fragment of a streamed tool call: the first carries the id and function name,
/// the rest carry pieces of the arguments, all tied together by <see cref="Index"/>.
/// </summary>
public sealed record ToolCallDelta
{
    [JsonPropertyName("index")] public int Index { get; init; }

    [JsonPropertyName("id")] public string? Id { get; init; }

    [JsonPropertyName("type")] public string? Type { get; init; }

    [JsonPropertyName("function")] public FunctionCall? Function { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
