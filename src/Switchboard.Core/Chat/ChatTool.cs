using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>A tool the model may call; only <c>function</c> tools are translated across dialects.</summary>
public sealed record ChatTool
{
    [JsonPropertyName("type")] public string Type { get; init; } = "function";

    [JsonPropertyName("function")] public FunctionDefinition? Function { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
