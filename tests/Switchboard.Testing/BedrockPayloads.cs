using System.Text;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>
/// Bedrock Converse bodies and ConverseStream frames, shaped after AWS's API reference (<c>ConverseResponse</c>,
/// <c>ConverseStreamOutput</c>, <c>TokenUsage</c>) and after answers Bedrock really sent: event payloads carry the
/// <c>"p"</c> padding field Bedrock adds to each, and the order is <c>messageStart</c>, content blocks,
/// <c>messageStop</c>, then <c>metadata</c>.
/// </summary>
internal static class BedrockPayloads
{
    // Bedrock pads each event with a prefix of this alphabet of varying length, so sizes do not reveal the text.
    private const string Padding = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>A whole Converse answer saying <paramref name="text"/>, as the API reference's example is laid out.</summary>
    public static byte[] TextResponse(string text) => ServerSentEvents.Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metrics");
        writer.WriteNumber("latencyMs", FakeBedrockUpstream.LatencyMs);
        writer.WriteEndObject();
        writer.WriteStartObject("output");
        writer.WriteStartObject("message");
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("role", "assistant");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("stopReason", "end_turn");
        WriteUsage(writer);
        writer.WriteEndObject();
    });

    /// <summary>An answer that says <see cref="FakeBedrockUpstream.ToolCallPreamble"/> and calls each of <paramref name="tools"/>, as Claude on Bedrock does.</summary>
    public static byte[] ToolUseResponse(IReadOnlyList<string> tools) => ServerSentEvents.Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metrics");
        writer.WriteNumber("latencyMs", FakeBedrockUpstream.LatencyMs);
        writer.WriteEndObject();
        writer.WriteStartObject("output");
        writer.WriteStartObject("message");
        writer.WriteStartArray("content");
        writer.WriteStartObject();
        writer.WriteString("text", FakeBedrockUpstream.ToolCallPreamble);
        writer.WriteEndObject();
        for (var i = 0; i < tools.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("toolUse");
            writer.WritePropertyName("input");
            using (var input = JsonDocument.Parse(FakeBedrockUpstream.ToolInput))
            {
                input.RootElement.WriteTo(writer);
            }

            writer.WriteString("name", tools[i]);
            writer.WriteString("toolUseId", FakeBedrockUpstream.ToolUseId(i));
            writer.WriteString("type", "tool_use");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("role", "assistant");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("stopReason", "tool_use");
        WriteUsage(writer);
        writer.WriteEndObject();
    });

    /// <summary>The frames of a streamed text answer made of <paramref name="deltas"/>.</summary>
    public static List<ReadOnlyMemory<byte>> TextStream(IReadOnlyList<string> deltas)
    {
        var frames = new List<ReadOnlyMemory<byte>> { MessageStart() };
        foreach (var delta in deltas)
        {
            frames.Add(TextDelta(0, delta));
        }

        frames.Add(BlockStop(0));
        frames.Add(MessageStop("end_turn"));
        frames.Add(Metadata());
        return frames;
    }

    /// <summary>The frames of a streamed answer that says the preamble, then calls each of <paramref name="tools"/> with its input in pieces.</summary>
    public static List<ReadOnlyMemory<byte>> ToolUseStream(IReadOnlyList<string> tools)
    {
        var frames = new List<ReadOnlyMemory<byte>> { MessageStart(), TextDelta(0, FakeBedrockUpstream.ToolCallPreamble), BlockStop(0) };
        for (var i = 0; i < tools.Count; i++)
        {
            var block = i + 1;
            frames.Add(Event("contentBlockStart", writer =>
            {
                writer.WriteNumber("contentBlockIndex", block);
                writer.WriteStartObject("start");
                writer.WriteStartObject("toolUse");
                writer.WriteString("name", tools[i]);
                writer.WriteString("toolUseId", FakeBedrockUpstream.ToolUseId(i));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }));
            foreach (var fragment in FakeBedrockUpstream.ToolInputDeltas)
            {
                frames.Add(Event("contentBlockDelta", writer =>
                {
                    writer.WriteNumber("contentBlockIndex", block);
                    writer.WriteStartObject("delta");
                    writer.WriteStartObject("toolUse");
                    writer.WriteString("input", fragment);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }));
            }

            frames.Add(BlockStop(block));
        }

        frames.Add(MessageStop("tool_use"));
        frames.Add(Metadata());
        return frames;
    }

    /// <summary>A Bedrock error body: <c>{"message": ...}</c>; the type travels in the <c>x-amzn-ErrorType</c> header.</summary>
    public static byte[] Error(string message) => ServerSentEvents.Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteEndObject();
    });

    /// <summary>An exception message ending a stream, its payload <c>{"message": ...}</c> as Bedrock sends it.</summary>
    public static byte[] Exception(string type, string message) => BedrockEventStreamEncoder.Exception(type, Error(message));

    /// <summary>What Bedrock's front door answers a path it has no operation for, as recorded from it.</summary>
    public static byte[] UnknownOperation() => """{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}"""u8.ToArray();

    /// <summary>A whole answer cut in the middle of its JSON.</summary>
    public static byte[] InvalidJson() => """{"output":{"message":{"role":"assistant","content":[{"text":"Hel"""u8.ToArray();

    /// <summary>A well-framed event (good CRCs) whose JSON payload is cut short.</summary>
    public static byte[] InvalidEvent() => BedrockEventStreamEncoder.Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel"""u8);

    private static ReadOnlyMemory<byte> MessageStart() => Event("messageStart", writer => writer.WriteString("role", "assistant"));

    private static ReadOnlyMemory<byte> TextDelta(int block, string text) => Event("contentBlockDelta", writer =>
    {
        writer.WriteNumber("contentBlockIndex", block);
        writer.WriteStartObject("delta");
        writer.WriteString("text", text);
        writer.WriteEndObject();
    });

    private static ReadOnlyMemory<byte> BlockStop(int block) => Event("contentBlockStop", writer => writer.WriteNumber("contentBlockIndex", block));

    private static ReadOnlyMemory<byte> MessageStop(string reason) => Event("messageStop", writer => writer.WriteString("stopReason", reason));

    private static ReadOnlyMemory<byte> Metadata() => Event("metadata", writer =>
    {
        writer.WriteStartObject("metrics");
        writer.WriteNumber("latencyMs", FakeBedrockUpstream.LatencyMs);
        writer.WriteEndObject();
        WriteUsage(writer);
    });

    /// <summary>One event frame whose payload holds what <paramref name="writeMembers"/> writes, then Bedrock's padding.</summary>
    private static ReadOnlyMemory<byte> Event(string type, Action<Utf8JsonWriter> writeMembers)
    {
        var json = ServerSentEvents.Json(writer =>
        {
            writer.WriteStartObject();
            writeMembers(writer);
            writer.WriteString("p", Padding[..(type.Length + 7)]);
            writer.WriteEndObject();
        });
        return BedrockEventStreamEncoder.Event(type, json);
    }

    /// <summary>
    /// <c>usage</c> as <c>TokenUsage</c> documents it: <c>inputTokens</c> is the prompt neither read from nor written to the
    /// cache, and <c>totalTokens</c> counts all of it with the output.
    /// </summary>
    private static void WriteUsage(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("cacheReadInputTokens", FakeBedrockUpstream.CacheReadInputTokens);
        writer.WriteNumber("cacheWriteInputTokens", FakeBedrockUpstream.CacheWriteInputTokens);
        writer.WriteNumber("inputTokens", FakeBedrockUpstream.InputTokens);
        writer.WriteNumber("outputTokens", FakeBedrockUpstream.OutputTokens);
        writer.WriteStartObject("serverToolUsage");
        writer.WriteEndObject();
        writer.WriteNumber("totalTokens", FakeBedrockUpstream.TotalTokens);
        writer.WriteEndObject();
    }

    /// <summary>The text of every <c>toolResult</c> in the last user message, in order, or null when it holds none.</summary>
    public static string? LastToolResults(JsonElement messages)
    {
        if (messages.GetArrayLength() == 0)
        {
            return null;
        }

        var last = messages[messages.GetArrayLength() - 1];
        if (!last.TryGetProperty("role", out var role) || !role.ValueEquals("user") || !last.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var texts = new List<string>();
        foreach (var block in content.EnumerateArray())
        {
            if (!block.TryGetProperty("toolResult", out var result) || !result.TryGetProperty("content", out var parts) || parts.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var text = new StringBuilder();
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    text.Append(value.GetString());
                }
                else if (part.TryGetProperty("json", out var json))
                {
                    text.Append(json.GetRawText());
                }
            }

            texts.Add(text.ToString());
        }

        return texts.Count == 0 ? null : string.Join('\n', texts);
    }
}
