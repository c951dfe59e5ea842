using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>The body of OpenAI's error shape.</summary>
public sealed record ErrorDetail
{
    [JsonPropertyName("message")] public string Message { get; init; } = "";

    [JsonPropertyName("type")] public string Type { get; init; } = "";

    [JsonPropertyName("param")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Param { get; init; }

    [JsonPropertyName("code")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Code { get; init; }
}
