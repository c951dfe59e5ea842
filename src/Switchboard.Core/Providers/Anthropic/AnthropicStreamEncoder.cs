using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Writes canonical stream events as Anthropic's Messages stream: <c>message_start</c>, then one content block at a
/// time (<c>content_block_start</c>, its <c>text_delta</c>, <c>thinking_delta</c> or <c>input_json_delta</c>
/// deltas, <c>content_block_stop</c>), and at the end <c>message_delta</c> with the stop reason and usage and
/// <c>message_stop</c>. One JSON writer is reused for every event.
/// </summary>
/// <remarks>
/// <para>A block is closed when one of another kind (or another tool call) begins, so text, thinking and each tool
/// call get blocks of their own, numbered in order. A tool call's arguments go out as <c>input_json_delta</c>
/// fragments as they arrive, after a <c>tool_use</c> start with an empty input, exactly as Anthropic streams them:
/// the client's accumulated input is the whole arguments text. Arguments for a call whose block has already closed
/// (an upstream interleaving parallel calls) still go out under that call's block index.</para>
/// <para><c>message_delta</c> waits for <see cref="Complete"/>: OpenAI-dialect upstreams send the finish reason before
/// the usage, and Anthropic carries both in that one event.</para>
/// </remarks>
internal sealed class AnthropicStreamEncoder : IStreamEncoder
{
    private readonly IBufferWriter<byte> _output;
    private readonly Utf8JsonWriter _json;
    private readonly string _fallbackModel;
    private bool _started;
    private int _nextBlock;
    private int _openBlock = -1;
    private BlockKind _openKind;

    // Tool index -> block index + 1.
    private int[] _blockOfTool = new int[4];
    private bool _calledTools;
    private string? _finish;
    private TokenUsage _usage;

    public AnthropicStreamEncoder(IBufferWriter<byte> output, string fallbackModel)
    {
        _output = output;
        _fallbackModel = fallbackModel;
        _json = new Utf8JsonWriter(output, AnthropicResponseWriter.WriterOptions);
    }

    private enum BlockKind
    {
        Text,
        Thinking,
        Tool,
    }

    public long Written { get; private set; }

    public void Write(in StreamEvent streamEvent)
    {
        if (!_started)
        {
            // An upstream that starts without naming itself still gets the client a well-formed stream.
            if (streamEvent.Kind == StreamEventKind.Start) MessageStart(streamEvent.Id, streamEvent.Name);
            else MessageStart(default, default);
            if (streamEvent.Kind == StreamEventKind.Start) return;
        }
        switch (streamEvent.Kind)
        {
            case StreamEventKind.TextDelta:
                if (streamEvent.Text.IsEmpty) return;
                Open(BlockKind.Text);
                Delta(_openBlock, "text_delta"u8, "text"u8, streamEvent.Text);
                break;
            case StreamEventKind.ReasoningDelta:
                if (streamEvent.Text.IsEmpty) return;
                Open(BlockKind.Thinking);
                Delta(_openBlock, "thinking_delta"u8, "thinking"u8, streamEvent.Text);
                break;
            case StreamEventKind.ToolCallStart:
                // Some upstreams repeat a call's start (id in one chunk, name in the next): one block per call.
                if (BlockOf(streamEvent.ToolIndex) < 0) OpenTool(streamEvent.ToolIndex, streamEvent.Id, streamEvent.Name);
                break;
            case StreamEventKind.ToolCallArguments:
                if (streamEvent.Text.IsEmpty) return;
                var block = BlockOf(streamEvent.ToolIndex);
                if (block < 0)
                {
                    // Arguments before their call began: the call begins here, nameless rather than lost.
                    OpenTool(streamEvent.ToolIndex, default, default);
                    block = _openBlock;
                }
                Delta(block, "input_json_delta"u8, "partial_json"u8, streamEvent.Text);
                break;
            case StreamEventKind.Finish:
                Close();
                _finish = streamEvent.FinishReason;
                break;
            case StreamEventKind.Usage:
                _usage = streamEvent.Usage;
                break;
        }
    }

    public void Complete()
    {
        if (!_started) MessageStart(default, default);
        Close();
        BeginEvent("message_delta"u8);
        _json.WriteString("type"u8, "message_delta"u8);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("stop_reason"u8, AnthropicStopReasons.FromCanonical(_finish, _calledTools));
        _json.WriteNull("stop_sequence"u8);
        _json.WriteEndObject();
        _json.WritePropertyName("usage"u8);
        AnthropicResponseWriter.WriteUsage(_json, _usage);
        EndEvent();
        Raw("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);
    }

    public void Dispose() => _json.Dispose();

    private void MessageStart(ReadOnlySpan<byte> id, ReadOnlySpan<byte> model)
    {
        _started = true;
        BeginEvent("message_start"u8);
        _json.WriteString("type"u8, "message_start"u8);
        _json.WriteStartObject("message"u8);
        _json.WriteString("id"u8, AnthropicResponseWriter.MessageId(id.IsEmpty ? null : Encoding.UTF8.GetString(id)));
        _json.WriteString("type"u8, "message"u8);
        _json.WriteString("role"u8, "assistant"u8);
        if (model.IsEmpty) _json.WriteString("model"u8, _fallbackModel);
        else _json.WriteString("model"u8, model);
        _json.WriteStartArray("content"u8);
        _json.WriteEndArray();
        _json.WriteNull("stop_reason"u8);
        _json.WriteNull("stop_sequence"u8);
        // The prompt's count is not known yet from upstreams that report usage last; message_delta carries it.
        _json.WriteStartObject("usage"u8);
        _json.WriteNumber("input_tokens"u8, 0);
        _json.WriteNumber("output_tokens"u8, 0);
        _json.WriteEndObject();
        _json.WriteEndObject();
        EndEvent();
    }

    private void Open(BlockKind kind)
    {
        if (_openBlock >= 0 && _openKind == kind) return;
        Close();
        _openBlock = _nextBlock++;
        _openKind = kind;
        BeginBlockStart(_openBlock);
        if (kind == BlockKind.Text)
        {
            _json.WriteString("type"u8, "text"u8);
            _json.WriteString("text"u8, ""u8);
        }
        else
        {
            _json.WriteString("type"u8, "thinking"u8);
            _json.WriteString("thinking"u8, ""u8);
            _json.WriteString("signature"u8, ""u8);
        }
        EndBlockStart();
    }

    private void OpenTool(int tool, ReadOnlySpan<byte> id, ReadOnlySpan<byte> name)
    {
        Close();
        _openBlock = _nextBlock++;
        _openKind = BlockKind.Tool;
        _calledTools = true;
        if (tool >= 0)
        {
            if (tool >= _blockOfTool.Length) Array.Resize(ref _blockOfTool, Math.Max(tool + 1, _blockOfTool.Length * 2));
            _blockOfTool[tool] = _openBlock + 1;
        }
        BeginBlockStart(_openBlock);
        _json.WriteString("type"u8, "tool_use"u8);
        if (id.IsEmpty) _json.WriteString("id"u8, AnthropicResponseWriter.ToolUseId(null, tool));
        else _json.WriteString("id"u8, id);
        _json.WriteString("name"u8, name);
        AnthropicResponseWriter.WriteDirectCaller(_json);
        _json.WriteStartObject("input"u8);
        _json.WriteEndObject();
        EndBlockStart();
    }

    private int BlockOf(int tool) => tool >= 0 && tool < _blockOfTool.Length ? _blockOfTool[tool] - 1 : -1;

    private void Close()
    {
        if (_openBlock < 0) return;
        BeginEvent("content_block_stop"u8);
        _json.WriteString("type"u8, "content_block_stop"u8);
        _json.WriteNumber("index"u8, _openBlock);
        EndEvent();
        _openBlock = -1;
    }

    private void BeginBlockStart(int index)
    {
        BeginEvent("content_block_start"u8);
        _json.WriteString("type"u8, "content_block_start"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("content_block"u8);
    }

    private void EndBlockStart()
    {
        _json.WriteEndObject();
        EndEvent();
    }

    private void Delta(int index, ReadOnlySpan<byte> type, ReadOnlySpan<byte> field, ReadOnlySpan<byte> text)
    {
        BeginEvent("content_block_delta"u8);
        _json.WriteString("type"u8, "content_block_delta"u8);
        _json.WriteNumber("index"u8, index);
        _json.WriteStartObject("delta"u8);
        _json.WriteString("type"u8, type);
        _json.WriteString(field, text);
        _json.WriteEndObject();
        EndEvent();
    }

    private void BeginEvent(ReadOnlySpan<byte> name)
    {
        Raw("event: "u8);
        Raw(name);
        Raw("\ndata: "u8);
        _json.Reset(_output);
        _json.WriteStartObject();
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        var before = _json.BytesCommitted;
        _json.Flush();
        Written += _json.BytesCommitted - before;
        Raw("\n\n"u8);
    }

    private void Raw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        Written += bytes.Length;
    }
}
