using System.Text.Json;
using Switchboard.Gateway.Execution;

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
        foreach (var answer in comparison.Answers)
        {
            json.WriteStartObject();
            json.WriteString("model", answer.Requested);
            ChatOutcomeJson.WriteFields(json, answer.Outcome);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
