using System.Text.Json;
using static Switchboard.Testing.FakeOpenAIUpstream;

namespace Switchboard.Testing;

/// <summary>
/// Every byte the OpenAI fake sends, shaped after the examples in OpenAI's API reference
/// (openai/openai-openapi: "Create chat completion" Default, Functions and Streaming examples,
/// "The chat completion chunk object", <c>CompletionUsage</c>, <c>ErrorResponse</c>, "List models").
/// </summary>
/// <remarks>
/// Deliberate departures, each so tests can assert on exact values: usage carries non-zero cached and
/// reasoning counts (the reference shows zeros) and is the same on every response; the tool-call arguments
/// are compact JSON so the streamed fragments concatenate to the same string; chunks omit the optional
/// <c>obfuscation</c> padding, as OpenAI does when <c>stream_options.include_obfuscation</c> is false.
/// </remarks>
internal static class OpenAIPayloads
{
    public static ReadOnlyMemory<byte> Done => "data: [DONE]\n\n"u8.ToArray();

    // Cut mid-array, the way a proxy that truncates a body would leave it.
    public static ReadOnlyMemory<byte> InvalidJson => """{"id": "chatcmpl-123", "choices": ["""u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidChunk =>
        "data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\n\n"u8.ToArray();

    public static byte[] TextCompletion(string model, string text) => ServerSentEvents.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", CompletionId);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", CompletionCreated);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", text);
        w.WriteNull("refusal");
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", "stop");
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", SystemFingerprint);
        w.WriteEndObject();
    });

    public static byte[] ToolCallCompletion(string model, string toolName) => ServerSentEvents.Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", ToolCallCompletionId);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", ToolCallCreated);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteNull("content");
        w.WriteStartArray("tool_calls");
        w.WriteStartObject();
        w.WriteString("id", ToolCallId);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", toolName);
        w.WriteString("arguments", ToolArguments);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteNull("logprobs");
        w.WriteString("finish_reason", "tool_calls");
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", SystemFingerprint);
        w.WriteEndObject();
    });

    public static List<ReadOnlyMemory<byte>> TextStream(string model, IEnumerable<string> deltas, bool includeUsage)
    {
        List<ReadOnlyMemory<byte>> chunks =
        [
            Chunk(model, includeUsage, null, w =>
            {
                w.WriteString("role", "assistant");
                w.WriteString("content", "");
            }),
        ];
        foreach (var delta in deltas)
        {
            chunks.Add(Chunk(model, includeUsage, null, w => w.WriteString("content", delta)));
        }

        chunks.Add(Chunk(model, includeUsage, "stop", static _ => { }));
        if (includeUsage)
        {
            chunks.Add(UsageChunk(model));
        }

        return chunks;
    }

    public static List<ReadOnlyMemory<byte>> ToolCallStream(string model, string toolName, bool includeUsage)
    {
        List<ReadOnlyMemory<byte>> chunks =
        [
            Chunk(model, includeUsage, null, w =>
            {
                w.WriteString("role", "assistant");
                w.WriteNull("content");
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteString("id", ToolCallId);
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", toolName);
                w.WriteString("arguments", "");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }),
        ];
        foreach (var fragment in ToolArgumentDeltas)
        {
            chunks.Add(Chunk(model, includeUsage, null, w =>
            {
                w.WriteStartArray("tool_calls");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("function");
                w.WriteString("arguments", fragment);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndArray();
            }));
        }

        chunks.Add(Chunk(model, includeUsage, "tool_calls", static _ => { }));
        if (includeUsage)
        {
            chunks.Add(UsageChunk(model));
        }

        return chunks;
    }

    public static byte[] ModelList() => ServerSentEvents.Json(static w =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var id in ModelIds)
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "model");
            w.WriteNumber("created", 1686935002);
            w.WriteString("owned_by", "system");
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static byte[] Error(string message, string type, string? param, string? code) => ServerSentEvents.Json(w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", type);
        w.WriteString("param", param);
        w.WriteString("code", code);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> Chunk(string model, bool includeUsage, string? finishReason, Action<Utf8JsonWriter> writeDelta) =>
        ServerSentEvents.DataEvent(w =>
        {
            w.WriteStartObject();
            WriteChunkHeader(w, model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            writeDelta(w);
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", finishReason);
            w.WriteEndObject();
            w.WriteEndArray();
            if (includeUsage)
            {
                w.WriteNull("usage");
            }

            w.WriteEndObject();
        });

    private static ReadOnlyMemory<byte> UsageChunk(string model) => ServerSentEvents.DataEvent(w =>
    {
        w.WriteStartObject();
        WriteChunkHeader(w, model);
        w.WriteStartArray("choices");
        w.WriteEndArray();
        WriteUsage(w);
        w.WriteEndObject();
    });

    private static void WriteChunkHeader(Utf8JsonWriter w, string model)
    {
        w.WriteString("id", StreamCompletionId);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", StreamCreated);
        w.WriteString("model", model);
        w.WriteString("service_tier", "default");
        w.WriteString("system_fingerprint", SystemFingerprint);
    }

    private static void WriteUsage(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", PromptTokens);
        w.WriteNumber("completion_tokens", CompletionTokens);
        w.WriteNumber("total_tokens", TotalTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", CachedTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", ReasoningTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
