using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>A function tool: its name, what it does, and the JSON Schema of its arguments.</summary>
public sealed record FunctionDefinition
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";

    [JsonPropertyName("description")] public string? Description { get; init; }

    [JsonPropertyName("parameters")] public JsonElement? Parameters { get; init; }

    [JsonPropertyName("strict")] public bool? Strict { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
