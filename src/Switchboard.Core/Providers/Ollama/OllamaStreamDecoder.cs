using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Decodes Ollama's NDJSON stream (<c>application/x-ndjson</c>): one JSON object a line,
/// <c>{model, created_at, message: {role, content, thinking?, tool_calls?}, done}</c>, the last with <c>"done": true</c>,
/// <c>done_reason</c> and the token counts. Tool calls arrive whole, so each becomes a start and one arguments event with
/// the complete arguments; Ollama gives no ids, so they are made here. A line <c>{"error": "..."}</c> is Ollama failing
/// mid-stream. Only the current line is ever parsed.
/// </summary>
internal sealed class OllamaStreamDecoder : IStreamDecoder
{
    private static readonly byte[] EmptyArguments = "{}"u8.ToArray();

    private readonly LineSplitter _lines = new();
    private readonly byte[] _id = Encoding.UTF8.GetBytes(OllamaConventions.NewResponseId());
    private readonly JsonStrings _strings = new();
    private bool _started;
    private int _tools;

    public bool Completed { get; private set; }

    public string? Malformed { get; private set; }

    public TokenUsage? Usage { get; private set; }

    public void Decode(ReadOnlySpan<byte> bytes, IStreamEventSink sink)
    {
        while (Malformed is null && !Completed && _lines.TryRead(ref bytes, out var line))
        {
            line = line.Trim(" \t\r\n"u8);
            if (line.IsEmpty) continue;
            try
            {
                DecodeLine(line, sink);
            }
            catch (JsonException)
            {
                Malformed = "Ollama sent a stream line that is not valid JSON";
            }
        }
    }

    public void Dispose() => _lines.Dispose();

    private void DecodeLine(ReadOnlySpan<byte> line, IStreamEventSink sink)
    {
        // First the line's own fields, so the answer starts before its message and finishes after it whatever their order.
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("not an object");
        ReadOnlySpan<byte> model = default;
        int messageStart = -1, messageEnd = -1, input = 0, output = 0;
        bool done = false, length = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8)) model = JsonStrings.ReadRaw(ref reader, line);
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                messageStart = (int)reader.TokenStartIndex;
                reader.Skip();
                messageEnd = (int)reader.BytesConsumed;
            }
            else if (reader.ValueTextEquals("done"u8))
            {
                reader.Read();
                done = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("done_reason"u8))
            {
                reader.Read();
                length = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("length"u8);
            }
            else if (reader.ValueTextEquals("prompt_eval_count"u8)) input = ReadInt(ref reader);
            else if (reader.ValueTextEquals("eval_count"u8)) output = ReadInt(ref reader);
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                Malformed = "Ollama reported an error mid-stream: " + (reader.TokenType == JsonTokenType.String ? reader.GetString() : "(no message)");
                return;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("line did not end");

        if (!_started)
        {
            _started = true;
            sink.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = _id, Name = model });
        }
        if (messageStart >= 0 && line[messageStart] == (byte)'{')
        {
            var message = line[messageStart..messageEnd];
            // Thinking comes before the answer it leads to, should a line carry both.
            DecodeMessage(message, sink, thinking: true);
            DecodeMessage(message, sink, thinking: false);
        }
        if (!done) return;
        sink.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = OllamaConventions.FinishReason(length, _tools > 0) });
        var usage = new TokenUsage(input, output);
        Usage = usage;
        sink.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = usage });
        Completed = true;
    }

    private void DecodeMessage(ReadOnlySpan<byte> message, IStreamEventSink sink, bool thinking)
    {
        var reader = new Utf8JsonReader(message);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (thinking && reader.ValueTextEquals("thinking"u8)) Text(ref reader, message, sink, StreamEventKind.ReasoningDelta);
            else if (!thinking && reader.ValueTextEquals("content"u8)) Text(ref reader, message, sink, StreamEventKind.TextDelta);
            else if (!thinking && reader.ValueTextEquals("tool_calls"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) DecodeToolCall(ref reader, message, sink);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void DecodeToolCall(ref Utf8JsonReader reader, ReadOnlySpan<byte> message, IStreamEventSink sink)
    {
        ReadOnlySpan<byte> id = default, name = default, arguments = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) id = JsonStrings.ReadRaw(ref reader, message);
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
                    if (reader.ValueTextEquals("name"u8)) name = JsonStrings.ReadRaw(ref reader, message);
                    else if (reader.ValueTextEquals("arguments"u8))
                    {
                        reader.Read();
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            // The arguments object as Ollama wrote it is already the JSON text OpenAI's shape carries.
                            var start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            arguments = message[start..(int)reader.BytesConsumed];
                        }
                        else if (reader.TokenType == JsonTokenType.String) arguments = _strings.Unescape(ref reader, message);
                        else reader.Skip();
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
        var index = _tools++;
        var callId = id.IsEmpty ? Encoding.UTF8.GetBytes(OllamaConventions.NewToolCallId()) : id;
        sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = index, Id = callId, Name = name });
        sink.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = index, Text = arguments.IsEmpty ? EmptyArguments : arguments });
    }

    private void Text(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, IStreamEventSink sink, StreamEventKind kind)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.IsEmpty) return;
        sink.Write(new StreamEvent { Kind = kind, Text = _strings.Unescape(ref reader, payload) });
    }



    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : 0;
    }
}
