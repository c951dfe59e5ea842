using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes canonical stream events as OpenAI <c>chat.completion.chunk</c> server-sent events, ending with
/// the usage chunk (when the client asked for it) and <c>data: [DONE]</c>. One JSON writer is reused for every chunk.
/// </summary>
internal sealed class OpenAIStreamEncoder : IStreamEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly IBufferWriter<byte> _output;
    private readonly bool _includeUsage;
    private readonly long _created;
    private readonly Utf8JsonWriter _json;
    private byte[] _id = "chatcmpl-switchboard"u8.ToArray();
    private byte[] _model = [];
    private TokenUsage? _usage;

    public OpenAIStreamEncoder(IBufferWriter<byte> output, bool includeUsage, string fallbackModel, long created)
    {
        _output = output;
        _includeUsage = includeUsage;
        _created = created;
        _model = System.Text.Encoding.UTF8.GetBytes(fallbackModel);
        _json = new Utf8JsonWriter(output, WriterOptions);
    }

    public long Written { get; private set; }

    public void Write(in StreamEvent streamEvent)
    {
        switch (streamEvent.Kind)
        {
            case StreamEventKind.Start:
                if (!streamEvent.Id.IsEmpty) _id = streamEvent.Id.ToArray();
                if (!streamEvent.Name.IsEmpty) _model = streamEvent.Name.ToArray();
                BeginChunk();
                _json.WriteString("role"u8, "assistant"u8);
                _json.WriteString("content"u8, ""u8);
                EndChunk(null);
                break;
            case StreamEventKind.TextDelta:
                BeginChunk();
                _json.WriteString("content"u8, streamEvent.Text);
                EndChunk(null);
                break;
            case StreamEventKind.ReasoningDelta:
                BeginChunk();
                _json.WriteString("reasoning_content"u8, streamEvent.Text);
                EndChunk(null);
                break;
            case StreamEventKind.ToolCallStart:
                BeginChunk();
                BeginToolCall(streamEvent.ToolIndex);
                _json.WriteString("id"u8, streamEvent.Id);
                _json.WriteString("type"u8, "function"u8);
                _json.WriteStartObject("function"u8);
                _json.WriteString("name"u8, streamEvent.Name);
                _json.WriteString("arguments"u8, ""u8);
                EndToolCall();
                EndChunk(null);
                break;
            case StreamEventKind.ToolCallArguments:
                BeginChunk();
                BeginToolCall(streamEvent.ToolIndex);
                _json.WriteStartObject("function"u8);
                _json.WriteString("arguments"u8, streamEvent.Text);
                EndToolCall();
                EndChunk(null);
                break;
            case StreamEventKind.Finish:
                BeginChunk();
                EndChunk(streamEvent.FinishReason);
                break;
            case StreamEventKind.Usage:
                _usage = streamEvent.Usage;
                break;
        }
    }

    public void Complete()
    {
        if (_includeUsage && _usage is { } usage)
        {
            Raw("data: "u8);
            _json.Reset(_output);
            WriteHead();
            _json.WriteStartArray("choices"u8);
            _json.WriteEndArray();
            _json.WritePropertyName("usage"u8);
            OpenAIUsageWriter.Write(_json, usage);
            _json.WriteEndObject();
            Flush();
            Raw("\n\n"u8);
        }
        Raw("data: [DONE]\n\n"u8);
    }

    public void Dispose() => _json.Dispose();

    private void BeginChunk()
    {
        Raw("data: "u8);
        _json.Reset(_output);
        WriteHead();
        _json.WriteStartArray("choices"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, 0);
        _json.WriteStartObject("delta"u8);
    }

    private void EndChunk(string? finishReason)
    {
        _json.WriteEndObject();
        if (finishReason is null) _json.WriteNull("finish_reason"u8);
        else _json.WriteString("finish_reason"u8, finishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
        Flush();
        Raw("\n\n"u8);
    }

    private void WriteHead()
    {
        _json.WriteStartObject();
        _json.WriteString("id"u8, _id);
        _json.WriteString("object"u8, "chat.completion.chunk"u8);
        _json.WriteNumber("created"u8, _created);
        _json.WriteString("model"u8, _model);
    }

    private void BeginToolCall(int index)
    {
        _json.WriteStartArray("tool_calls"u8);
        _json.WriteStartObject();
        _json.WriteNumber("index"u8, index);
    }

    private void EndToolCall()
    {
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndArray();
    }

    private void Flush()
    {
        var before = _json.BytesCommitted;
        _json.Flush();
        Written += _json.BytesCommitted - before;
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        Written += bytes.Length;
    }
}
