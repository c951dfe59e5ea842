using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>One part of a multi-part message: <c>text</c>, <c>image_url</c>, or a kind we pass along as is.</summary>
public sealed record ContentPart
{
    [JsonPropertyName("type")] public string Type { get; init; } = ContentPartTypes.Text;

    [JsonPropertyName("text")] public string? Text { get; init; }

    [JsonPropertyName("image_url")] public ImageUrl? ImageUrl { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    public static ContentPart FromText(string text) => new() { Type = ContentPartTypes.Text, Text = text };

    public static ContentPart FromImage(string url, string? detail = null) =>
        new() { Type = ContentPartTypes.ImageUrl, ImageUrl = new ImageUrl { Url = url, Detail = detail } };
}
