using System.Text.Json;

namespace Switchboard.Gateway.Tests;

/// <summary>Reads <c>text/event-stream</c> bodies.</summary>
internal static class Sse
{
    /// <summary>The payload of each <c>data:</c> line, in order.</summary>
    public static List<string> DataPayloads(string body) =>
        body.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
            .Select(line => line[5..].TrimStart())
            .ToList();

    /// <summary>The concatenated <c>choices[0].delta.content</c> of the chunks.</summary>
    public static string Content(IEnumerable<string> payloads)
    {
        var text = new System.Text.StringBuilder();
        foreach (var payload in payloads)
        {
            if (payload == "[DONE]") continue;
            using var chunk = JsonDocument.Parse(payload);
            if (!chunk.RootElement.TryGetProperty("choices", out var choices) || choices.GetArrayLength() == 0) continue;
            if (choices[0].GetProperty("delta").TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                text.Append(content.GetString());
        }
        return text.ToString();
    }
}
