using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Decodes OpenAI's <c>chat.completion.chunk</c> server-sent events into canonical events, one chunk at a time.
/// Only the first choice is translated: other dialects have no room for several.
/// </summary>
internal sealed class OpenAIStreamDecoder : IStreamDecoder
{
    private readonly LineSplitter _lines = new();
    private readonly JsonStrings _strings = new();
    private bool _started;

    public bool Completed { get; private set; }

    public string? Malformed { get; private set; }

    public TokenUsage? Usage { get; private set; }

    public void Decode(ReadOnlySpan<byte> bytes, IStreamEventSink sink)
    {
        while (Malformed is null && _lines.TryRead(ref bytes, out var line))
        {
            line = line.TrimEnd("\r\n"u8);
            if (!line.StartsWith("data:"u8)) continue;
            var payload = line[5..].TrimStart((byte)' ');
            if (payload.SequenceEqual("[DONE]"u8))
            {
                Completed = true;
                continue;
            }
            try
            {
                DecodeChunk(payload, sink);
            }
            catch (JsonException)
            {
                Malformed = "the provider sent a stream event that is not valid JSON";
            }
        }
    }

    public void Dispose() => _lines.Dispose();

    private void DecodeChunk(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
        ReadOnlySpan<byte> id = default, model = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
            else if (reader.ValueTextEquals("model"u8)) model = JsonStrings.ReadRaw(ref reader, payload);
            else if (reader.ValueTextEquals("choices"u8))
            {
                StartOnce(sink, id, model);
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) DecodeChoice(ref reader, payload, sink);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var usage = OpenAIUsageReader.ReadUsage(ref reader);
                    Usage = usage;
                    StartOnce(sink, id, model);
                    sink.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = usage });
                }
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("chunk did not end");
    }

    private void DecodeChoice(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var index = 0;
        string? finish = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject && index == 0) DecodeDelta(ref reader, payload, sink);
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) finish = FinishReasons.Canonical(reader.GetString()!);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (finish is not null && index == 0) sink.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = finish });
    }

    private void DecodeDelta(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8)) Text(ref reader, payload, sink, StreamEventKind.TextDelta);
            else if (reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8)) Text(ref reader, payload, sink, StreamEventKind.ReasoningDelta);
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) DecodeToolCall(ref reader, payload, sink);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void Text(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink, StreamEventKind kind)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty) return;
        sink.Write(new StreamEvent { Kind = kind, Text = _strings.Unescape(ref reader, payload, 0) });
    }

    private void DecodeToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        // The id and name come in the first fragment of a call, before or after its first arguments.
        var index = 0;
        ReadOnlySpan<byte> id = default, name = default, arguments = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("index"u8))
            {
                reader.Read();
                index = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else if (reader.ValueTextEquals("id"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
            else if (reader.ValueTextEquals("function"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("name"u8)) name = JsonStrings.ReadRaw(ref reader, payload);
                    else if (reader.ValueTextEquals("arguments"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.String) arguments = _strings.Unescape(ref reader, payload, 128);
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
        if (!id.IsEmpty || !name.IsEmpty) sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = index, Id = id, Name = name });
        if (!arguments.IsEmpty) sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = index, Text = arguments });
    }

    private void StartOnce(IStreamEventSink sink, ReadOnlySpan<byte> id, ReadOnlySpan<byte> model)
    {
        if (_started) return;
        _started = true;
        sink.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = id, Name = model });
    }



}
