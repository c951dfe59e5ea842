using System.Text.Json;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Gateway.Execution;

/// <summary>A <see cref="ChatOutcome"/> as JSON, the same wherever the gateway reports its own calls (comparisons, workflow stages).</summary>
internal static class ChatOutcomeJson
{
    /// <summary>
    /// One request's outcome as the members of a JSON object: the provider and model that answered, the text, latency, usage, cost
    /// (null when the price is unknown, never 0), the attempts and the error (null when it answered).
    /// </summary>
    public static void WriteFields(Utf8JsonWriter json, ChatOutcome outcome)
    {
        json.WriteString("provider", outcome.Provider);
        json.WriteString("answered_model", outcome.Model);
        json.WriteString("text", outcome.Text);
        json.WriteNumber("latency_ms", Math.Round(outcome.LatencyMs, 1));
        if (outcome.Usage is { } usage)
        {
            json.WriteStartObject("usage");
            json.WriteNumber("input_tokens", usage.Input);
            json.WriteNumber("output_tokens", usage.Output);
            json.WriteNumber("cached_tokens", usage.CachedInput);
            json.WriteNumber("reasoning_tokens", usage.Reasoning);
            json.WriteBoolean("estimated", outcome.UsageEstimated);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("usage");
        }
        if (outcome.CostUsd is { } cost) json.WriteNumber("cost_usd", cost);
        else json.WriteNull("cost_usd");
        json.WriteString("attempts", outcome.Attempts);
        if (outcome.Error is { } error)
        {
            json.WriteStartObject("error");
            json.WriteString("type", OpenAIClientDialect.TypeOf(error.Category));
            json.WriteString("code", error.Code);
            json.WriteString("message", error.Message);
            json.WriteNumber("status", error.StatusCode);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("error");
        }
    }
}
