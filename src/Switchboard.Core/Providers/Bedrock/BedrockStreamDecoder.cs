using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Decodes a ConverseStream answer: AWS event-stream messages whose <c>:event-type</c> header names the event and whose
/// payload is its JSON (<c>messageStart</c>, <c>contentBlockStart</c>, <c>contentBlockDelta</c>, <c>contentBlockStop</c>,
/// <c>messageStop</c>, <c>metadata</c>), one message at a time, into canonical events.
/// </summary>
/// <remarks>
/// <para>The stream is complete once both <c>messageStop</c> (the stop reason) and <c>metadata</c> (the usage) have come.
/// Bedrock documents <c>metadata</c> as the stream's last event, after <c>messageStop</c>; waiting for both rather than
/// for <c>metadata</c> alone keeps a stream whose events come the other way round complete, and a stream cut between
/// the two is cut: its usage, what the answer cost, never arrived.</para>
/// <para>An exception message (<c>:message-type</c> <c>exception</c>, such as a <c>throttlingException</c> or
/// <c>modelStreamErrorException</c> mid-stream) or a protocol <c>error</c> message stops decoding with its type and message.</para>
/// </remarks>
internal sealed class BedrockStreamDecoder : IStreamDecoder
{
    private readonly AwsEventStreamReader _frames = new();
    private readonly JsonStrings _strings = new();

    // Content block index -> tool index + 1 (0: not a tool block). Blocks are few; the array grows only when one is a tool.
    private int[] _toolOfBlock = [];
    private int _tools;
    private bool _started;
    private bool _stopped;
    private bool _metadata;

    public bool Completed => _stopped && _metadata;

    public string? Malformed { get; private set; }

    public TokenUsage? Usage { get; private set; }

    public void Decode(ReadOnlySpan<byte> bytes, IStreamEventSink sink)
    {
        while (Malformed is null && _frames.TryRead(ref bytes, out var message))
        {
            if (message.MessageType.SequenceEqual("event"u8))
            {
                try
                {
                    DecodeEvent(message.EventType, message.Payload, sink);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    Malformed = $"the provider sent a {Encoding.UTF8.GetString(message.EventType)} event that is not valid JSON";
                }
            }
            else if (message.MessageType.SequenceEqual("exception"u8))
            {
                Malformed = $"Bedrock ended the stream with {Encoding.UTF8.GetString(message.ExceptionType)}: {ExceptionMessage(message.Payload)}";
            }
            else if (message.MessageType.SequenceEqual("error"u8))
            {
                Malformed = $"Bedrock ended the stream with {Encoding.UTF8.GetString(message.ErrorCode)}: {Encoding.UTF8.GetString(message.ErrorMessage)}";
            }
            else
            {
                Malformed = $"the provider sent an event-stream message of type '{Encoding.UTF8.GetString(message.MessageType)}'";
            }
        }
        Malformed ??= _frames.Malformed;
    }

    public void Dispose() => _frames.Dispose();

    private void DecodeEvent(ReadOnlySpan<byte> type, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        if (type.SequenceEqual("contentBlockDelta"u8)) ContentBlockDelta(payload, sink);
        else if (type.SequenceEqual("contentBlockStart"u8)) ContentBlockStart(payload, sink);
        else if (type.SequenceEqual("messageStart"u8)) StartOnce(sink);
        else if (type.SequenceEqual("messageStop"u8)) MessageStop(payload, sink);
        else if (type.SequenceEqual("metadata"u8)) Metadata(payload, sink);
        else if (type.SequenceEqual("contentBlockStop"u8)) Validate(payload);
        // Event types Bedrock adds later carry nothing a chat completion can show; they are passed over.
    }

    private void ContentBlockStart(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var reader = Begin(payload);
        var block = -1;
        ReadOnlySpan<byte> id = default, name = default;
        var isTool = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8)) block = ReadIndex(ref reader);
            else if (reader.ValueTextEquals("start"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isToolUse = reader.ValueTextEquals("toolUse"u8);
                    reader.Read();
                    if (!isToolUse || reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }
                    isTool = true;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("toolUseId"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
                        else if (reader.ValueTextEquals("name"u8)) name = JsonStrings.ReadRaw(ref reader, payload);
                        else
                        {
                            reader.Read();
                            reader.Skip();
                        }
                    }
                }
            }
            else Skip(ref reader);
        }
        End(ref reader);
        if (!isTool) return;
        if (block < 0) throw new JsonException("a tool use starts without its contentBlockIndex");
        StartOnce(sink);
        if (block >= _toolOfBlock.Length) Array.Resize(ref _toolOfBlock, Math.Max(block + 1, _toolOfBlock.Length * 2));
        var index = _tools++;
        _toolOfBlock[block] = index + 1;
        sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = index, Id = id, Name = name });
    }

    private void ContentBlockDelta(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var reader = Begin(payload);
        var block = -1;
        // A delta holds one of text, tool input or reasoning; the block index may come after it, so tool input waits for it.
        ReadOnlySpan<byte> input = default;
        var hasInput = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("contentBlockIndex"u8)) block = ReadIndex(ref reader);
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("text"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                        {
                            StartOnce(sink);
                            sink.Write(new StreamEvent { Kind = StreamEventKind.TextDelta, Text = _strings.Unescape(ref reader, payload) });
                        }
                    }
                    else if (reader.ValueTextEquals("toolUse"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            var isInput = reader.ValueTextEquals("input"u8);
                            reader.Read();
                            if (isInput && reader.TokenType == JsonTokenType.String)
                            {
                                input = _strings.Unescape(ref reader, payload);
                                hasInput = true;
                            }
                            else reader.Skip();
                        }
                    }
                    else if (reader.ValueTextEquals("reasoningContent"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            reader.Skip();
                            continue;
                        }
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            // Only the thinking's text is shown; its signature and redacted content are not text.
                            var isText = reader.ValueTextEquals("text"u8);
                            reader.Read();
                            if (isText && reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                            {
                                StartOnce(sink);
                                sink.Write(new StreamEvent { Kind = StreamEventKind.ReasoningDelta, Text = _strings.Unescape(ref reader, payload) });
                            }
                            else reader.Skip();
                        }
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else Skip(ref reader);
        }
        End(ref reader);
        if (!hasInput || input.IsEmpty) return;
        if (block < 0 || block >= _toolOfBlock.Length || _toolOfBlock[block] == 0)
            throw new JsonException("tool input arrived for a content block that did not start a tool use");
        sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = _toolOfBlock[block] - 1, Text = input });
    }

    private void MessageStop(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var reader = Begin(payload);
        string? finish = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stopReason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) finish = BedrockStopReasons.Canonical(reader.ValueSpan);
            }
            else Skip(ref reader);
        }
        End(ref reader);
        StartOnce(sink);
        sink.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = finish ?? (_tools > 0 ? FinishReasons.ToolCalls : FinishReasons.Stop) });
        _stopped = true;
    }

    private void Metadata(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var reader = Begin(payload);
        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage && reader.TokenType == JsonTokenType.StartObject) usage = BedrockUsageReader.Read(ref reader);
            else reader.Skip();
        }
        End(ref reader);
        _metadata = true;
        if (usage is not { } counted) return;
        Usage = counted;
        StartOnce(sink);
        sink.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = counted });
    }

    /// <summary>Walks an event whose content is not needed, to prove it well-formed.</summary>
    private static void Validate(ReadOnlySpan<byte> payload)
    {
        var reader = Begin(payload);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName) Skip(ref reader);
        End(ref reader);
    }

    private void StartOnce(IStreamEventSink sink)
    {
        if (_started) return;
        _started = true;
        // Converse's stream names neither a response id nor the model: the answer gets an id of its own, as a whole
        // answer does (see BedrockResponseReader), and the encoder keeps the model it was asked for.
        sink.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = Encoding.ASCII.GetBytes(BedrockResponseReader.NewId()) });
    }

    private static Utf8JsonReader Begin(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the event is not a JSON object");
        return reader;
    }

    private static void End(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0) throw new JsonException("the event did not end");
    }

    private static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }

    private static int ReadIndex(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) && value >= 0 ? value : throw new JsonException("contentBlockIndex is not an index");
    }

    /// <summary>The message of an exception event's <c>{"message": ...}</c> payload, or the payload itself when it has none.</summary>
    private static string ExceptionMessage(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8);
                    reader.Read();
                    if (isMessage && reader.TokenType == JsonTokenType.String) return reader.GetString()!;
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the raw payload says what there is to say.
        }
        return Encoding.UTF8.GetString(payload);
    }



}
