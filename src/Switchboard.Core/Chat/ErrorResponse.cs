using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>OpenAI's error shape: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record ErrorResponse
{
    [JsonPropertyName("error")] public ErrorDetail Error { get; init; } = new();
}
