using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>
/// A chat completion request in Switchboard's canonical shape, which is OpenAI's chat completions request.
/// Fields the type does not model are kept in <see cref="AdditionalProperties"/> and written back unchanged.
/// </summary>
public sealed record ChatRequest
{
    /// <summary>The requested model: a concrete model, <c>provider/model</c>, an alias or a route.</summary>
    [JsonPropertyName("model")] public string Model { get; init; } = "";

    [JsonPropertyName("messages")] public List<ChatMessage> Messages { get; init; } = [];

    [JsonPropertyName("tools")] public List<ChatTool>? Tools { get; init; }

    [JsonPropertyName("tool_choice")] public ToolChoice? ToolChoice { get; init; }

    [JsonPropertyName("parallel_tool_calls")] public bool? ParallelToolCalls { get; init; }

    [JsonPropertyName("response_format")] public ResponseFormat? ResponseFormat { get; init; }

    [JsonPropertyName("temperature")] public double? Temperature { get; init; }

    [JsonPropertyName("top_p")] public double? TopP { get; init; }

    /// <summary>The older limit on generated tokens; reasoning models take <see cref="MaxCompletionTokens"/> instead.</summary>
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }

    [JsonPropertyName("max_completion_tokens")] public int? MaxCompletionTokens { get; init; }

    [JsonPropertyName("stop")] public StopSequences? Stop { get; init; }

    [JsonPropertyName("seed")] public long? Seed { get; init; }

    [JsonPropertyName("n")] public int? N { get; init; }

    [JsonPropertyName("stream")] public bool? Stream { get; init; }

    [JsonPropertyName("stream_options")] public StreamOptions? StreamOptions { get; init; }

    /// <summary>Request metadata; Switchboard also reads routing context (<c>agent</c>, <c>stage</c>, ...) from it.</summary>
    [JsonPropertyName("metadata")] public Dictionary<string, JsonElement>? Metadata { get; init; }

    [JsonPropertyName("user")] public string? User { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
