using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>The part of the completion spent on reasoning, among others.</summary>
public sealed record CompletionTokensDetails
{
    [JsonPropertyName("reasoning_tokens")] public int? ReasoningTokens { get; init; }

    [JsonPropertyName("audio_tokens")] public int? AudioTokens { get; init; }

    [JsonPropertyName("accepted_prediction_tokens")] public int? AcceptedPredictionTokens { get; init; }

    [JsonPropertyName("rejected_prediction_tokens")] public int? RejectedPredictionTokens { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
