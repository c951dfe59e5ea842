using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>The requested output format: <c>text</c>, <c>json_object</c> or <c>json_schema</c>.</summary>
public sealed record ResponseFormat
{
    [JsonPropertyName("type")] public string Type { get; init; } = "text";

    [JsonPropertyName("json_schema")] public JsonElement? JsonSchema { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
