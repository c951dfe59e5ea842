using System.Text.Json;
using static Switchboard.Testing.FakeOllamaUpstream;

namespace Switchboard.Testing;

/// <summary>
/// Every byte the Ollama fake sends, shaped after the examples of <c>POST /api/chat</c> in Ollama's API reference
/// (ollama/ollama docs/api.md: "Chat request (Streaming)", "(Streaming with tools)", "(No streaming)",
/// "(No streaming, with tools)"; docs/api/errors.mdx; the <c>api.ChatResponse</c> and <c>api.Message</c> types):
/// NDJSON lines of <c>{model, created_at, message: {role, content, thinking?, tool_calls?}, done}</c> and a last
/// line with <c>"done": true</c>, <c>done_reason</c>, durations and the token counts; errors as <c>{"error": "text"}</c>.
/// </summary>
/// <remarks>
/// Departures, each so tests can assert exact values: the counts are the same on every answer
/// (<see cref="PromptEvalCount"/>, <see cref="EvalCount"/>); the tool-call answer uses the request's first tool name;
/// a stream's lines carry the documented timestamps in order.
/// </remarks>
internal static class OllamaPayloads
{
    public const string ContentType = "application/x-ndjson";

    public const string CreatedAt = "2025-07-07T20:22:19.184789Z";

    /// <summary><see cref="CreatedAt"/> as Unix seconds.</summary>
    public const long Created = 1751919739;

    // A line cut mid-string, the way a broken connection or a proxy would leave it.
    public static ReadOnlyMemory<byte> InvalidJson => """{"model":"llama3.2","created_at":"2025-07-07T20:22:19.184789Z","message":{"role":"assistant","content":"Hel"""u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidLine => "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Hel\n"u8.ToArray();

    /// <summary>A whole answer (<c>"stream": false</c>) with <paramref name="text"/>.</summary>
    public static byte[] TextAnswer(string model, string text, string? thinking = null) => ServerSentEvents.Json(w =>
    {
        w.WriteStartObject();
        Head(w, model, CreatedAt);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", text);
        if (thinking is not null) w.WriteString("thinking", thinking);
        w.WriteEndObject();
        Final(w, "stop");
        w.WriteEndObject();
    });

    /// <summary>A whole answer calling <paramref name="toolName"/> with <see cref="ToolArguments"/>, as in "No streaming, with tools".</summary>
    public static byte[] ToolCallAnswer(string model, string toolName) => ServerSentEvents.Json(w =>
    {
        w.WriteStartObject();
        Head(w, model, "2025-07-07T20:32:53.844124Z");
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", "");
        WriteToolCalls(w, toolName);
        w.WriteEndObject();
        Final(w, "stop");
        w.WriteEndObject();
    });

    /// <summary>Streamed lines: optional thinking deltas, then text deltas, then the final line.</summary>
    public static List<ReadOnlyMemory<byte>> TextStream(string model, IEnumerable<string> deltas, IEnumerable<string>? thinking = null)
    {
        var lines = new List<ReadOnlyMemory<byte>>();
        foreach (var delta in thinking ?? []) lines.Add(Line(model, content: "", thinking: delta));
        foreach (var delta in deltas) lines.Add(Line(model, content: delta));
        lines.Add(FinalLine(model));
        return lines;
    }

    /// <summary>Streamed tool call as in "Streaming with tools": one line with the whole call, then the final line.</summary>
    public static List<ReadOnlyMemory<byte>> ToolCallStream(string model, string toolName) =>
    [
        NdJson(w =>
        {
            w.WriteStartObject();
            Head(w, model, CreatedAt);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", "");
            WriteToolCalls(w, toolName);
            w.WriteEndObject();
            w.WriteBoolean("done", false);
            w.WriteEndObject();
        }),
        FinalLine(model),
    ];

    /// <summary>Ollama's error body: <c>{"error": "text"}</c>.</summary>
    public static byte[] Error(string message) => ServerSentEvents.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("error", message);
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> Line(string model, string content, string? thinking = null) => NdJson(w =>
    {
        w.WriteStartObject();
        Head(w, model, "2025-07-07T20:22:19.18512Z");
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", content);
        if (thinking is not null) w.WriteString("thinking", thinking);
        w.WriteEndObject();
        w.WriteBoolean("done", false);
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> FinalLine(string model) => NdJson(w =>
    {
        w.WriteStartObject();
        Head(w, model, "2025-07-07T20:22:19.19314Z");
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", "");
        w.WriteEndObject();
        Final(w, "stop");
        w.WriteEndObject();
    });

    private static void Head(Utf8JsonWriter w, string model, string createdAt)
    {
        w.WriteString("model", model);
        w.WriteString("created_at", createdAt);
    }

    private static void WriteToolCalls(Utf8JsonWriter w, string toolName)
    {
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteStartObject("function");
        w.WriteString("name", toolName);
        w.WritePropertyName("arguments");
        using (var arguments = JsonDocument.Parse(ToolArguments)) arguments.WriteTo(w);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Final(Utf8JsonWriter w, string doneReason)
    {
        w.WriteString("done_reason", doneReason);
        w.WriteBoolean("done", true);
        w.WriteNumber("total_duration", 182242375);
        w.WriteNumber("load_duration", 41295167);
        w.WriteNumber("prompt_eval_count", PromptEvalCount);
        w.WriteNumber("prompt_eval_duration", 24573166);
        w.WriteNumber("eval_count", EvalCount);
        w.WriteNumber("eval_duration", 115959084);
    }

    private static ReadOnlyMemory<byte> NdJson(Action<Utf8JsonWriter> write)
    {
        var json = ServerSentEvents.Json(write);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        return line;
    }
}
