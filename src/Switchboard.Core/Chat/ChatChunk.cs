using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>One event of a streamed completion (<c>chat.completion.chunk</c>).</summary>
public sealed record ChatChunk
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";

    [JsonPropertyName("object")] public string Object { get; init; } = "chat.completion.chunk";

    [JsonPropertyName("created")] public long Created { get; init; }

    [JsonPropertyName("model")] public string Model { get; init; } = "";

    [JsonPropertyName("choices")] public List<ChunkChoice> Choices { get; init; } = [];

    /// <summary>Set on the final chunk when the request asked for <c>stream_options.include_usage</c>.</summary>
    [JsonPropertyName("usage")] public ChatUsage? Usage { get; init; }

    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
