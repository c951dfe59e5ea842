using System.Globalization;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Decodes <c>streamGenerateContent?alt=sse</c>: each <c>data:</c> line is a whole <c>GenerateContentResponse</c> whose
/// parts are the new text, thoughts and function calls. Gemini sends a function call whole, so it becomes a
/// <see cref="StreamEventKind.ToolCallStart"/> and one <see cref="StreamEventKind.ToolCallArguments"/> with all of
/// <c>args</c>. There is no <c>[DONE]</c>: the chunk with a <c>finishReason</c> (or a prompt's <c>blockReason</c>)
/// is the last, and usually carries the final <c>usageMetadata</c>. Only the first candidate is translated: other
/// dialects have no room for several.
/// </summary>
internal sealed class GeminiStreamDecoder : IStreamDecoder
{
    private readonly LineSplitter _lines = new();
    private readonly JsonStrings _strings = new();
    private byte[] _callId = new byte[64];
    private byte[] _responseId = [];
    private bool _started;
    private bool _calledFunctions;
    private int _toolCalls;

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
        if (!_started) Start(payload, sink);
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
        var wasCompleted = Completed;
        var ended = false;
        string? finish = null;
        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("candidates"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                var position = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    if (position++ == 0) finish = DecodeCandidate(ref reader, payload, sink) ?? finish;
                    else reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("usageMetadata"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) usage = GeminiUsageReader.Read(ref reader);
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("promptFeedback"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject && Blocked(ref reader)) finish = FinishReasons.ContentFilter;
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                Malformed = "the provider sent an error in the stream: " + (ErrorMessage(ref reader) ?? "no message");
                return;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("chunk did not end");

        if (usage is not null) Usage = usage;
        if (finish is not null && !wasCompleted)
        {
            sink.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = finish });
            Completed = true;
            ended = true;
        }
        // Usage goes out with the last chunk (the running counts of earlier ones are not final), and again if more comes after it.
        if (Usage is { } final && (ended || (wasCompleted && usage is not null)))
            sink.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = final });
    }

    /// <summary>
    /// Emits <see cref="StreamEventKind.Start"/> from the first chunk. Gemini writes <c>responseId</c> and
    /// <c>modelVersion</c> after the candidates, so they are looked up in the chunk before its parts are translated.
    /// </summary>
    private void Start(ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
        ReadOnlySpan<byte> id = default, model = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("responseId"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
            else if (reader.ValueTextEquals("modelVersion"u8)) model = JsonStrings.ReadRaw(ref reader, payload);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        _started = true;
        _responseId = id.ToArray();
        sink.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = id, Name = model });
    }

    /// <summary>Translates one candidate's parts as they come; returns its canonical finish reason, or null while it goes on.</summary>
    private string? DecodeCandidate(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        ReadOnlySpan<byte> finish = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (!reader.ValueTextEquals("parts"u8))
                    {
                        reader.Read();
                        reader.Skip();
                        continue;
                    }
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        reader.Skip();
                        continue;
                    }
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) DecodePart(ref reader, payload, sink);
                }
            }
            else if (reader.ValueTextEquals("finishReason"u8)) finish = JsonStrings.ReadRaw(ref reader, payload);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return finish.IsEmpty ? null : GeminiFinishReasons.Canonical(finish, _calledFunctions);
    }

    private void DecodePart(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        // "thought": true follows the text it marks, so the text is held until the part ends.
        ReadOnlySpan<byte> text = default;
        var thought = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) text = _strings.Unescape(ref reader, payload);
            }
            else if (reader.ValueTextEquals("thought"u8))
            {
                reader.Read();
                thought = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("functionCall"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) DecodeFunctionCall(ref reader, payload, sink);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (!text.IsEmpty) sink.Write(new StreamEvent { Kind = thought ? StreamEventKind.ReasoningDelta : StreamEventKind.TextDelta, Text = text });
    }

    private void DecodeFunctionCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink)
    {
        ReadOnlySpan<byte> id = default, name = default, args = "{}"u8;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8)) name = JsonStrings.ReadRaw(ref reader, payload);
            else if (reader.ValueTextEquals("id"u8)) id = JsonStrings.ReadRaw(ref reader, payload);
            else if (reader.ValueTextEquals("args"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var isObject = reader.TokenType == JsonTokenType.StartObject;
                reader.Skip();
                // The arguments are the args object's own JSON text: sliced, never rebuilt.
                if (isObject) args = payload[start..((int)reader.TokenStartIndex + 1)];
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        var index = _toolCalls++;
        _calledFunctions = true;
        if (id.IsEmpty) id = GeneratedId(index);
        sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = index, Id = id, Name = name });
        sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = index, Text = args });
    }

    /// <summary>The same id <see cref="GeminiResponseReader.ToolCallId"/> gives a whole response's call, written into a reused buffer.</summary>
    private ReadOnlySpan<byte> GeneratedId(int index)
    {
        var needed = 5 + _responseId.Length + 1 + 11;
        if (_callId.Length < needed) _callId = new byte[needed];
        var span = _callId.AsSpan();
        "call_"u8.CopyTo(span);
        var length = 5;
        if (_responseId.Length > 0)
        {
            _responseId.CopyTo(span[length..]);
            length += _responseId.Length;
            span[length++] = (byte)'_';
        }
        index.TryFormat(span[length..], out var digits, provider: CultureInfo.InvariantCulture);
        return span[..(length + digits)];
    }

    /// <summary>Reads <c>promptFeedback</c>; true when it carries a <c>blockReason</c>, which ends the stream.</summary>
    private static bool Blocked(ref Utf8JsonReader reader)
    {
        var blocked = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReason = reader.ValueTextEquals("blockReason"u8);
            reader.Read();
            if (isReason && reader.TokenType == JsonTokenType.String && !reader.ValueTextEquals("BLOCK_REASON_UNSPECIFIED"u8)) blocked = true;
            else reader.Skip();
        }
        return blocked;
    }

    private static string? ErrorMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject) return null;
        string? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (isMessage && reader.TokenType == JsonTokenType.String) message = reader.GetString();
            else reader.Skip();
        }
        return message;
    }



}
