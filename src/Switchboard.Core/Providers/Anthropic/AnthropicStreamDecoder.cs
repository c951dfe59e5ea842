using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Decodes Anthropic's Messages stream (server-sent events: <c>message_start</c>, <c>content_block_start</c>,
/// <c>content_block_delta</c>, <c>content_block_stop</c>, <c>message_delta</c>, <c>message_stop</c>, <c>ping</c>,
/// <c>error</c>) into canonical events one event at a time, parsing nothing but that event's data line.
/// </summary>
/// <remarks>
/// Events are told apart by the <c>type</c> in their data, which Anthropic always writes and always first, rather
/// than by the <c>event:</c> line. Blocks are numbered by their place in the message; tool calls are numbered
/// among tool calls, so a tool block's index is mapped to its tool index when it starts. Event types Anthropic
/// adds later are skipped, as its versioning policy asks of clients. An <c>error</c> event ends decoding:
/// <see cref="Malformed"/> then carries the provider's error type and message, and <see cref="ErrorType"/>,
/// <see cref="ErrorMessage"/> and <see cref="ErrorCategory"/> hold them apart for a caller that reports them as
/// the provider's own error.
/// </remarks>
internal sealed class AnthropicStreamDecoder : IStreamDecoder
{
    private readonly LineSplitter _lines = new();
    private readonly JsonStrings _strings = new();

    // Block index -> tool index + 1; 0 for a block that is not a tool call.
    private int[] _toolOfBlock = new int[8];
    private int _tools;
    private AnthropicUsageCounts _usage;
    private bool _started;

    public bool Completed { get; private set; }

    public string? Malformed { get; private set; }

    public TokenUsage? Usage { get; private set; }

    /// <summary>The <c>error.type</c> of an <c>error</c> event, such as <c>overloaded_error</c>, or null.</summary>
    public string? ErrorType { get; private set; }

    /// <summary>The <c>error.message</c> of an <c>error</c> event, or null.</summary>
    public string? ErrorMessage { get; private set; }

    /// <summary>How an <c>error</c> event classifies (an <c>overloaded_error</c> is <see cref="Switchboard.ErrorCategory.Unavailable"/>), or null.</summary>
    public ErrorCategory? ErrorCategory { get; private set; }

    public void Decode(ReadOnlySpan<byte> bytes, IStreamEventSink sink)
    {
        while (Malformed is null && _lines.TryRead(ref bytes, out var line))
        {
            line = line.TrimEnd("\r\n"u8);
            if (!line.StartsWith("data:"u8) || Completed) continue;
            var payload = line[5..].TrimStart((byte)' ');
            try
            {
                DecodeEvent(payload, sink);
            }
            catch (JsonException)
            {
                Malformed = "the provider sent a stream event that is not valid JSON";
            }
        }
    }

    public void Dispose() => _lines.Dispose();

    private void DecodeEvent(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var type = EventType(payload);
        var reader = new Utf8JsonReader(payload);
        reader.Read();
        if (type.SequenceEqual("content_block_delta"u8)) BlockDelta(ref reader, payload, sink);
        else if (type.SequenceEqual("content_block_start"u8)) BlockStart(ref reader, payload, sink);
        else if (type.SequenceEqual("message_start"u8)) MessageStart(ref reader, payload, sink);
        else if (type.SequenceEqual("message_delta"u8)) MessageDelta(ref reader, sink);
        else if (type.SequenceEqual("message_stop"u8))
        {
            reader.Skip();
            Completed = true;
        }
        else if (type.SequenceEqual("error"u8)) Error(ref reader);
        else reader.Skip(); // ping, content_block_stop, and types added later: valid JSON is all they need to be.
        // One more read proves nothing but whitespace follows the event's object.
        reader.Read();
    }

    /// <summary>The event's <c>type</c>; found at once because Anthropic writes it first, but found wherever it is.</summary>
    private static ReadOnlySpan<byte> EventType(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("an event is not an object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String) return reader.ValueSpan;
            reader.Skip();
        }
        throw new JsonException("an event has no type");
    }

    private void MessageStart(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        ReadOnlySpan<byte> id = default, model = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
                else if (reader.ValueTextEquals("model"u8)) model = JsonStrings.ReadRaw(ref reader, payload);
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject) _usage.Read(ref reader);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        StartOnce(sink, id, model);
        WriteUsage(sink);
    }

    private void BlockStart(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var index = 0;
        ReadOnlySpan<byte> type = default, id = default, name = default, text = default, input = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8)) index = ReadIndex(ref reader);
            else if (reader.ValueTextEquals("content_block"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("type"u8)) type = JsonStrings.ReadRaw(ref reader, payload);
                    else if (reader.ValueTextEquals("id"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
                    else if (reader.ValueTextEquals("name"u8)) name = JsonStrings.ReadRaw(ref reader, payload);
                    else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8)) text = _strings.ReadText(ref reader, payload);
                    else if (reader.ValueTextEquals("input"u8))
                    {
                        reader.Read();
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        input = payload[start..(int)reader.BytesConsumed];
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        StartOnce(sink, default, default);
        if (type.SequenceEqual("text"u8))
        {
            if (!text.IsEmpty) sink.Write(new StreamEvent { Kind = StreamEventKind.TextDelta, Text = text });
        }
        else if (type.SequenceEqual("thinking"u8))
        {
            if (!text.IsEmpty) sink.Write(new StreamEvent { Kind = StreamEventKind.ReasoningDelta, Text = text });
        }
        else if (type.SequenceEqual("tool_use"u8))
        {
            var tool = _tools++;
            MapBlock(index, tool);
            sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = tool, Id = id, Name = name });
            // The input comes as input_json_delta fragments after an empty object; a start that carries it whole is used whole.
            if (!IsEmptyObject(input)) sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = tool, Text = input });
        }
        // server_tool_use, web_search_tool_result, redacted_thinking, ...: Anthropic ran or hid them; a chat client has nothing to do with them.
    }

    private void BlockDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var index = 0;
        ReadOnlySpan<byte> type = default, text = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8)) index = ReadIndex(ref reader);
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
                    if (reader.ValueTextEquals("type"u8)) type = JsonStrings.ReadRaw(ref reader, payload);
                    else if (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("partial_json"u8) || reader.ValueTextEquals("thinking"u8))
                        text = _strings.ReadText(ref reader, payload);
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (text.IsEmpty) return;
        StartOnce(sink, default, default);
        if (type.SequenceEqual("text_delta"u8)) sink.Write(new StreamEvent { Kind = StreamEventKind.TextDelta, Text = text });
        else if (type.SequenceEqual("input_json_delta"u8))
        {
            var tool = ToolOf(index);
            if (tool >= 0) sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = tool, Text = text });
        }
        else if (type.SequenceEqual("thinking_delta"u8)) sink.Write(new StreamEvent { Kind = StreamEventKind.ReasoningDelta, Text = text });
        // signature_delta and citations_delta have no canonical counterpart.
    }

    private void MessageDelta(ref Utf8JsonReader reader, IStreamEventSink sink)
    {
        string? finish = null;
        var sawUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isStopReason = reader.ValueTextEquals("stop_reason"u8);
                    reader.Read();
                    if (isStopReason && reader.TokenType == JsonTokenType.String) finish = AnthropicStopReasons.ToCanonical(reader.ValueSpan);
                    else reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    _usage.Read(ref reader);
                    sawUsage = true;
                }
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        StartOnce(sink, default, default);
        if (finish is not null) sink.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = finish });
        if (sawUsage) WriteUsage(sink);
    }

    private void Error(ref Utf8JsonReader reader)
    {
        string? type = null, message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isMessage = reader.ValueTextEquals("message"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String) type = reader.GetString();
                else if (isMessage && reader.TokenType == JsonTokenType.String) message = reader.GetString();
                else reader.Skip();
            }
        }
        ErrorType = type ?? AnthropicErrors.Api;
        ErrorMessage = message ?? "the provider ended the stream with an error";
        ErrorCategory = AnthropicErrors.CategoryOf(ErrorType, ErrorMessage);
        Malformed = $"the provider ended the stream with {ErrorType}: {ErrorMessage}";
    }

    private void WriteUsage(IStreamEventSink sink)
    {
        if (!_usage.Seen) return;
        var usage = _usage.ToTokenUsage();
        Usage = usage;
        sink.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = usage });
    }

    private void StartOnce(IStreamEventSink sink, ReadOnlySpan<byte> id, ReadOnlySpan<byte> model)
    {
        if (_started) return;
        _started = true;
        sink.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = id, Name = model });
    }

    private void MapBlock(int block, int tool)
    {
        if (block < 0) return;
        if (block >= _toolOfBlock.Length) Array.Resize(ref _toolOfBlock, Math.Max(block + 1, _toolOfBlock.Length * 2));
        _toolOfBlock[block] = tool + 1;
    }

    private int ToolOf(int block) => block >= 0 && block < _toolOfBlock.Length ? _toolOfBlock[block] - 1 : -1;

    private static int ReadIndex(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index)) return index;
        reader.Skip();
        return -1;
    }

    private static bool IsEmptyObject(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty) return true;
        var inner = json.Trim(" \t\r\n"u8);
        return inner.Length >= 2 && inner[0] == (byte)'{' && inner[^1] == (byte)'}' && inner[1..^1].Trim(" \t\r\n"u8).IsEmpty;
    }
}
