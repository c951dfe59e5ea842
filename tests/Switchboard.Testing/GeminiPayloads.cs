using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using static Switchboard.Testing.FakeGeminiUpstream;

namespace Switchboard.Testing;

/// <summary>
/// Every byte the Gemini fake sends, shaped after Google's Gemini API reference: "Generating content"
/// (<c>GenerateContentResponse</c>, <c>Candidate</c>, <c>UsageMetadata</c> with <c>cachedContentTokenCount</c> and
/// <c>thoughtsTokenCount</c>), the <c>streamGenerateContent?alt=sse</c> stream (a <c>data:</c> line per
/// <c>GenerateContentResponse</c>, the last one with <c>finishReason</c> and the whole usage, no <c>[DONE]</c>),
/// the function-calling guide (<c>functionCall</c> parts with <c>thoughtSignature</c>, parallel calls in one turn)
/// and the troubleshooting guide's error table (<c>{"error": {"code", "message", "status"}}</c>).
/// </summary>
/// <remarks>
/// Departures, each so tests can assert exact values: usage is the same on every answer and always carries
/// cached and thought counts; whole answers are indented as Google sends them, stream chunks are compact; events end
/// in <c>\r\n\r\n</c> as Google's do.
/// </remarks>
internal static class GeminiPayloads
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    // Cut mid-string, the way a proxy that truncates a body would leave it.
    public static ReadOnlyMemory<byte> InvalidJson => """{"candidates": [{"content": {"parts": [{"text": "Hel"""u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidChunk => "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Hel\r\n\r\n"u8.ToArray();

    /// <summary>A whole answer: one candidate whose parts are written by <paramref name="parts"/>.</summary>
    public static byte[] Response(string model, string finishReason, Action<Utf8JsonWriter> parts) => Json(Indented, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        WriteCandidate(w, parts, finishReason, safety: true);
        w.WriteEndArray();
        WriteUsage(w, final: true);
        w.WriteString("modelVersion", model);
        w.WriteString("responseId", ResponseId);
        w.WriteEndObject();
    });

    public static byte[] TextResponse(string model, string text, bool thoughts) => Response(model, "STOP", w =>
    {
        if (thoughts) WriteThought(w);
        WriteText(w, text);
    });

    public static byte[] FunctionCallResponse(string model, IReadOnlyList<string> names) => Response(model, "STOP", w => WriteFunctionCalls(w, names));

    /// <summary>A prompt Gemini refused to answer: no candidates, <c>promptFeedback.blockReason</c>.</summary>
    public static byte[] BlockedResponse(string model) => Json(Indented, w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("promptFeedback");
        w.WriteString("blockReason", "SAFETY");
        w.WriteStartArray("safetyRatings");
        w.WriteStartObject();
        w.WriteString("category", "HARM_CATEGORY_DANGEROUS_CONTENT");
        w.WriteString("probability", "HIGH");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        WriteUsage(w, final: false);
        w.WriteString("modelVersion", model);
        w.WriteString("responseId", ResponseId);
        w.WriteEndObject();
    });

    public static List<ReadOnlyMemory<byte>> TextStream(string model, IReadOnlyList<string> deltas, bool thoughts)
    {
        var chunks = new List<ReadOnlyMemory<byte>>();
        if (thoughts) chunks.Add(Chunk(model, static w => WriteThought(w), null));
        for (var i = 0; i < deltas.Count; i++)
        {
            var delta = deltas[i];
            // As Google sends it: the last text comes in the chunk that finishes.
            chunks.Add(Chunk(model, w => WriteText(w, delta), i == deltas.Count - 1 ? "STOP" : null));
        }

        return chunks;
    }

    /// <summary>Gemini streams function calls whole: every call of the turn in one chunk, which also finishes.</summary>
    public static List<ReadOnlyMemory<byte>> FunctionCallStream(string model, IReadOnlyList<string> names) =>
        [Chunk(model, w => WriteFunctionCalls(w, names), "STOP")];

    public static List<ReadOnlyMemory<byte>> BlockedStream(string model) =>
        [Event(Json(Compact, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("promptFeedback");
            w.WriteString("blockReason", "SAFETY");
            w.WriteEndObject();
            WriteUsage(w, final: false);
            w.WriteString("modelVersion", model);
            w.WriteString("responseId", StreamResponseId);
            w.WriteEndObject();
        }))];

    /// <summary>The <c>streamGenerateContent</c> answer without <c>alt=sse</c>: one JSON array of the chunks.</summary>
    public static byte[] Array(IReadOnlyList<ReadOnlyMemory<byte>> events)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("["u8);
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0) buffer.Write(",\r\n"u8);
            var line = events[i].Span;
            buffer.Write(line["data: ".Length..^4]);
        }

        buffer.Write("]"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ModelList() => Json(Indented, static w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("models");
        foreach (var id in ModelIds)
        {
            w.WriteStartObject();
            w.WriteString("name", "models/" + id);
            w.WriteString("version", "001");
            w.WriteString("displayName", id);
            w.WriteNumber("inputTokenLimit", 1048576);
            w.WriteNumber("outputTokenLimit", 65536);
            w.WriteStartArray("supportedGenerationMethods");
            w.WriteStringValue("generateContent");
            w.WriteStringValue("countTokens");
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Google's error body; <paramref name="details"/> writes entries of <c>error.details</c> when given.</summary>
    public static byte[] Error(int code, string status, string message, Action<Utf8JsonWriter>? details = null) => Json(Indented, w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        w.WriteString("status", status);
        if (details is not null)
        {
            w.WriteStartArray("details");
            details(w);
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> Chunk(string model, Action<Utf8JsonWriter> parts, string? finishReason) => Event(Json(Compact, w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("candidates");
        WriteCandidate(w, parts, finishReason, safety: false);
        w.WriteEndArray();
        WriteUsage(w, final: finishReason is not null);
        w.WriteString("modelVersion", model);
        w.WriteString("responseId", StreamResponseId);
        w.WriteEndObject();
    }));

    private static ReadOnlyMemory<byte> Event(byte[] json)
    {
        var buffer = new byte[6 + json.Length + 4];
        "data: "u8.CopyTo(buffer);
        json.CopyTo(buffer.AsSpan(6));
        "\r\n\r\n"u8.CopyTo(buffer.AsSpan(6 + json.Length));
        return buffer;
    }

    private static void WriteCandidate(Utf8JsonWriter w, Action<Utf8JsonWriter> parts, string? finishReason, bool safety)
    {
        w.WriteStartObject();
        w.WriteStartObject("content");
        w.WriteStartArray("parts");
        parts(w);
        w.WriteEndArray();
        w.WriteString("role", "model");
        w.WriteEndObject();
        if (finishReason is not null)
        {
            w.WriteString("finishReason", finishReason);
        }

        if (safety && finishReason is not null)
        {
            w.WriteNumber("avgLogprobs", -0.1164003213246663);
        }

        w.WriteNumber("index", 0);
        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WriteThought(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("text", ThoughtText);
        w.WriteBoolean("thought", true);
        w.WriteEndObject();
    }

    private static void WriteFunctionCalls(Utf8JsonWriter w, IReadOnlyList<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            w.WriteStartObject();
            w.WriteStartObject("functionCall");
            w.WriteString("name", names[i]);
            w.WritePropertyName("args");
            using (var args = JsonDocument.Parse(ToolArguments))
            {
                args.RootElement.WriteTo(w);
            }

            w.WriteEndObject();
            // Only the first call of a step is signed, as the thought-signatures guide shows for parallel calls.
            if (i == 0)
            {
                w.WriteString("thoughtSignature", ThoughtSignature);
            }

            w.WriteEndObject();
        }
    }

    private static void WriteUsage(Utf8JsonWriter w, bool final)
    {
        w.WriteStartObject("usageMetadata");
        w.WriteNumber("promptTokenCount", PromptTokenCount);
        if (final)
        {
            w.WriteNumber("candidatesTokenCount", CandidatesTokenCount);
            w.WriteNumber("totalTokenCount", TotalTokenCount);
            w.WriteNumber("cachedContentTokenCount", CachedContentTokenCount);
        }
        else
        {
            w.WriteNumber("totalTokenCount", PromptTokenCount);
        }

        w.WriteStartArray("promptTokensDetails");
        w.WriteStartObject();
        w.WriteString("modality", "TEXT");
        w.WriteNumber("tokenCount", PromptTokenCount);
        w.WriteEndObject();
        w.WriteEndArray();
        if (final)
        {
            w.WriteStartArray("cacheTokensDetails");
            w.WriteStartObject();
            w.WriteString("modality", "TEXT");
            w.WriteNumber("tokenCount", CachedContentTokenCount);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteNumber("thoughtsTokenCount", ThoughtsTokenCount);
        }

        w.WriteEndObject();
    }

    private static byte[] Json(JsonWriterOptions options, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
