using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>An image given by URL, or inline as a <c>data:</c> URL with base64 content.</summary>
public sealed record ImageUrl
{
    [JsonPropertyName("url")] public string Url { get; init; } = "";

    /// <summary><c>auto</c>, <c>low</c> or <c>high</c>.</summary>
    [JsonPropertyName("detail")] public string? Detail { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
