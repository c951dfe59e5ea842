using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>The function a tool call names and its arguments, a JSON text as the model wrote it.</summary>
public sealed record FunctionCall
{
    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("arguments")] public string? Arguments { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
