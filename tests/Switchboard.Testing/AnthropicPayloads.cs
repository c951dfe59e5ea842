using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using static Switchboard.Testing.FakeAnthropicUpstream;

namespace Switchboard.Testing;

/// <summary>
/// Every byte the Anthropic fake sends, shaped after Anthropic's API reference and its SDKs' recorded streams:
/// the Messages API's "Create a Message" examples (text, tool use), "Streaming Messages" (event order, <c>ping</c>,
/// <c>input_json_delta</c>, <c>thinking_delta</c> and <c>signature_delta</c>, the <c>error</c> event) and "Errors"
/// (<c>{"type":"error","error":{"type","message"},"request_id"}</c>), and the streams recorded in
/// anthropic-sdk-python's <c>tests/lib/streaming/fixtures</c> (<c>basic_response.txt</c>, <c>tool_use_response.txt</c>).
/// </summary>
/// <remarks>
/// Deliberate departures, each so tests can assert on exact values: every response carries the same usage, with
/// non-zero cache reads and writes; <c>message_delta</c> reports only <c>output_tokens</c>, as the recorded streams
/// do, so a reader must keep the prompt counts of <c>message_start</c>.
/// </remarks>
internal static class AnthropicPayloads
{
    public const string JsonContentType = "application/json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static ReadOnlyMemory<byte> MessageStop => Event("message_stop", static w => w.WriteString("type", "message_stop"));

    // Cut mid-array, the way a proxy that truncates a body would leave it.
    public static ReadOnlyMemory<byte> InvalidJson => """{"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "content": ["""u8.ToArray();

    public static ReadOnlyMemory<byte> InvalidEvent =>
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\n\n"u8.ToArray();

    /// <summary>A whole message: an optional thinking block, then <paramref name="text"/> and the tool calls.</summary>
    public static byte[] Message(string id, string model, bool thinking, string? text, IReadOnlyList<(string Id, string Name, string Input)> calls, string stopReason) =>
        Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", model);
            w.WriteStartArray("content");
            if (thinking)
            {
                w.WriteStartObject();
                w.WriteString("type", "thinking");
                w.WriteString("thinking", ThinkingText);
                w.WriteString("signature", ThinkingSignature);
                w.WriteEndObject();
            }
            if (text is not null)
            {
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text);
                w.WriteEndObject();
            }
            foreach (var (callId, name, input) in calls)
            {
                w.WriteStartObject();
                w.WriteString("type", "tool_use");
                w.WriteString("id", callId);
                w.WriteString("name", name);
                w.WritePropertyName("input");
                w.WriteRawValue(input);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("stop_reason", stopReason);
            w.WriteNull("stop_sequence");
            w.WriteStartObject("usage");
            WriteStartUsage(w, OutputTokens, thinking);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>
    /// A streamed message, one server-sent event per chunk, without the final <c>message_stop</c> (the trailer):
    /// <c>message_start</c>, a thinking block when asked, a text block (with a <c>ping</c> after its start), a
    /// <c>tool_use</c> block per call with its input in <c>input_json_delta</c> fragments, and <c>message_delta</c>.
    /// </summary>
    public static List<ReadOnlyMemory<byte>> Stream(string id, string model, bool thinking, IReadOnlyList<string> textDeltas,
        IReadOnlyList<(string Id, string Name, IReadOnlyList<string> InputDeltas)> calls, string stopReason)
    {
        var events = new List<ReadOnlyMemory<byte>> { MessageStart(id, model, thinking) };
        var index = 0;
        if (thinking)
        {
            var block = index++;
            events.Add(BlockStart(block, w =>
            {
                w.WriteString("type", "thinking");
                w.WriteString("thinking", "");
            }));
            foreach (var fragment in ThinkingDeltas) events.Add(Delta(block, "thinking_delta", "thinking", fragment));
            events.Add(Delta(block, "signature_delta", "signature", ThinkingSignature));
            events.Add(BlockStop(block));
        }
        if (textDeltas.Count > 0)
        {
            var block = index++;
            events.Add(BlockStart(block, static w =>
            {
                w.WriteString("type", "text");
                w.WriteString("text", "");
            }));
            events.Add(Event("ping", static w => w.WriteString("type", "ping")));
            foreach (var fragment in textDeltas) events.Add(Delta(block, "text_delta", "text", fragment));
            events.Add(BlockStop(block));
        }
        foreach (var (callId, name, inputDeltas) in calls)
        {
            var block = index++;
            events.Add(BlockStart(block, w =>
            {
                w.WriteString("type", "tool_use");
                w.WriteString("id", callId);
                w.WriteString("name", name);
                w.WriteStartObject("input");
                w.WriteEndObject();
            }));
            foreach (var fragment in inputDeltas) events.Add(Delta(block, "input_json_delta", "partial_json", fragment));
            events.Add(BlockStop(block));
        }
        events.Add(Event("message_delta", w =>
        {
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", stopReason);
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", OutputTokens);
            if (thinking)
            {
                w.WriteStartObject("output_tokens_details");
                w.WriteNumber("thinking_tokens", ThinkingTokens);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }));
        return events;
    }

    /// <summary>The events of a stream that fails part way: it starts, sends one text delta, then an <c>overloaded_error</c> event.</summary>
    public static List<ReadOnlyMemory<byte>> FailingStream(string model) =>
    [
        MessageStart(StreamMessageId, model, thinking: false),
        BlockStart(0, static w =>
        {
            w.WriteString("type", "text");
            w.WriteString("text", "");
        }),
        Delta(0, "text_delta", "text", StreamTextDeltas[0]),
        ErrorEvent(OverloadedMessage),
    ];

    /// <summary>The <c>error</c> event Anthropic ends a stream with when it is overloaded mid-answer.</summary>
    public static ReadOnlyMemory<byte> ErrorEvent(string message) => Event("error", w =>
    {
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", "overloaded_error");
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    public static byte[] Error(string type, string message) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "error");
        w.WriteStartObject("error");
        w.WriteString("type", type);
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteString("request_id", RequestId);
        w.WriteEndObject();
    });

    public static byte[] CountTokens(int tokens) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", tokens);
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> MessageStart(string id, string model, bool thinking) => Event("message_start", w =>
    {
        w.WriteString("type", "message_start");
        w.WriteStartObject("message");
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteNull("stop_reason");
        w.WriteNull("stop_sequence");
        w.WriteStartObject("usage");
        WriteStartUsage(w, 1, thinking: false);
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private static void WriteStartUsage(Utf8JsonWriter w, int output, bool thinking)
    {
        w.WriteNumber("input_tokens", InputTokens);
        w.WriteNumber("cache_creation_input_tokens", CacheCreationInputTokens);
        w.WriteNumber("cache_read_input_tokens", CacheReadInputTokens);
        w.WriteNumber("output_tokens", output);
        if (thinking)
        {
            w.WriteStartObject("output_tokens_details");
            w.WriteNumber("thinking_tokens", ThinkingTokens);
            w.WriteEndObject();
        }
        w.WriteString("service_tier", "standard");
    }

    private static ReadOnlyMemory<byte> BlockStart(int index, Action<Utf8JsonWriter> writeBlock) => Event("content_block_start", w =>
    {
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", index);
        w.WriteStartObject("content_block");
        writeBlock(w);
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> Delta(int index, string type, string field, string value) => Event("content_block_delta", w =>
    {
        w.WriteString("type", "content_block_delta");
        w.WriteNumber("index", index);
        w.WriteStartObject("delta");
        w.WriteString("type", type);
        w.WriteString(field, value);
        w.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> BlockStop(int index) => Event("content_block_stop", w =>
    {
        w.WriteString("type", "content_block_stop");
        w.WriteNumber("index", index);
    });

    /// <summary>One <c>event: name\ndata: {json}\n\n</c> server-sent event; <paramref name="write"/> writes the object's members.</summary>
    private static ReadOnlyMemory<byte> Event(string name, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(System.Text.Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenMemory;
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
