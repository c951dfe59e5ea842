using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>A call an assistant message makes to a tool.</summary>
public sealed record ToolCall
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    [JsonPropertyName("function")] public FunctionCall Function { get; init; } = new();

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
