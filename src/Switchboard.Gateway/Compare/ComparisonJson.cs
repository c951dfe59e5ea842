using System.Text.Json;
using Switchboard.Gateway.Execution;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Gateway.Compare;

/// <summary>
/// A comparison as JSON, the same from <c>POST /api/compare</c> and <c>switchboard compare --json</c>:
/// <c>{"object": "comparison", "total_ms": n, "results": [...]}</c>, one result per model in the order asked.
/// </summary>
internal static class ComparisonJson
{
    public static void Write(Utf8JsonWriter json, ComparisonResult comparison)
    {
        json.WriteStartObject();
        json.WriteString("object", "comparison");
        json.WriteNumber("total_ms", Math.Round(comparison.TotalMs, 1));
        json.WriteStartArray("results");
        foreach (var answer in comparison.Answers) WriteAnswer(json, answer.Requested, answer.Outcome);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// One request's outcome: the model asked, the provider and model that answered, the text, latency, usage, cost
    /// (null when the price is unknown, never 0), the attempts and the error (null when it answered).
    /// </summary>
    public static void WriteAnswer(Utf8JsonWriter json, string requested, ChatOutcome outcome)
    {
        json.WriteStartObject();
        json.WriteString("model", requested);
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
        json.WriteEndObject();
    }
}
