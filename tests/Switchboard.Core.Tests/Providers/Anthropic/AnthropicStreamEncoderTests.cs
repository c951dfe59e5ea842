using System.Buffers;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicStreamEncoderTests
{
    private static readonly ChatRequestEnvelope Envelope = new() { Model = "gpt-4o-mini", Stream = true, Properties = [] };

    private static (string Sse, long Written) Encode(Action<IStreamEncoder> write, string model = "fallback-model")
    {
        var output = new ArrayBufferWriter<byte>();
        using var encoder = AnthropicClientDialect.Instance.CreateStreamEncoder(output, Envelope, model, 1741569952);
        write(encoder);
        return (System.Text.Encoding.UTF8.GetString(output.WrittenSpan), encoder.Written);
    }

    private static void Text(IStreamEncoder encoder, string text) =>
        encoder.Write(new StreamEvent { Kind = StreamEventKind.TextDelta, Text = System.Text.Encoding.UTF8.GetBytes(text) });

    /// <summary>The (event name, data) pairs of an SSE text, checking each data's type names its event.</summary>
    private static List<(string Event, JsonElement Data)> Events(string sse)
    {
        var events = new List<(string, JsonElement)>();
        foreach (var block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            lines.Length.ShouldBe(2, block);
            lines[0].ShouldStartWith("event: ");
            lines[1].ShouldStartWith("data: ");
            var data = JsonDocument.Parse(lines[1][6..]).RootElement;
            data.GetProperty("type").GetString().ShouldBe(lines[0][7..]);
            events.Add((lines[0][7..], data));
        }
        return events;
    }

    [Fact]
    public void A_text_stream_is_message_start_one_text_block_message_delta_and_message_stop()
    {
        var (sse, written) = Encode(e =>
        {
            e.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = "chatcmpl-123"u8, Name = "gpt-4o-mini-2024-07-18"u8 });
            Text(e, "Hello");
            Text(e, "! \"quoted\" <b>");
            e.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = FinishReasons.Stop });
            e.Write(new StreamEvent { Kind = StreamEventKind.Usage, Usage = new TokenUsage(19, 10, CachedInput: 4, Reasoning: 2) });
            e.Complete();
        });

        sse.ShouldBe(
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_123\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"gpt-4o-mini-2024-07-18\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"! \\\"quoted\\\" <b>\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":15,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":4,\"output_tokens\":10,\"output_tokens_details\":{\"thinking_tokens\":2}}}\n\n" +
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        written.ShouldBe(System.Text.Encoding.UTF8.GetByteCount(sse));
    }

    [Fact]
    public void Switching_between_text_thinking_and_tool_calls_closes_one_block_and_opens_the_next()
    {
        var (sse, _) = Encode(e =>
        {
            e.Write(new StreamEvent { Kind = StreamEventKind.Start, Id = "x"u8, Name = "m"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ReasoningDelta, Text = "Think."u8 });
            Text(e, "I'll check.");
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = 0, Id = "call_1"u8, Name = "get_weather"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = 0, Text = "{\"location\":"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = 0, Text = "\"Paris\"}"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = 1, Id = "call_2"u8, Name = "get_time"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = 1, Text = "{}"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.Finish, FinishReason = FinishReasons.ToolCalls });
            e.Complete();
        });

        var events = Events(sse);
        events.Select(e => e.Event + (e.Data.TryGetProperty("index", out var i) ? $"[{i.GetInt32()}]" : "")).ShouldBe(
        [
            "message_start",
            "content_block_start[0]", "content_block_delta[0]", "content_block_stop[0]",
            "content_block_start[1]", "content_block_delta[1]", "content_block_stop[1]",
            "content_block_start[2]", "content_block_delta[2]", "content_block_delta[2]", "content_block_stop[2]",
            "content_block_start[3]", "content_block_delta[3]", "content_block_stop[3]",
            "message_delta", "message_stop",
        ]);
        events[1].Data.GetProperty("content_block").GetRawText().ShouldBe("""{"type":"thinking","thinking":"","signature":""}""");
        events[2].Data.GetProperty("delta").GetRawText().ShouldBe("""{"type":"thinking_delta","thinking":"Think."}""");
        events[7].Data.GetProperty("content_block").GetRawText().ShouldBe("""{"type":"tool_use","id":"call_1","name":"get_weather","caller":{"type":"direct"},"input":{}}""");
        string.Concat(events.Where(e => e.Event == "content_block_delta" && e.Data.GetProperty("index").GetInt32() == 2)
            .Select(e => e.Data.GetProperty("delta").GetProperty("partial_json").GetString())).ShouldBe("{\"location\":\"Paris\"}");
        events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString().ShouldBe("tool_use");
    }

    [Fact]
    public void A_stream_with_no_start_event_still_begins_with_message_start_naming_the_fallback_model()
    {
        var (sse, _) = Encode(e =>
        {
            Text(e, "Hi");
            e.Complete();
        }, model: "claude-via-gemini");

        var events = Events(sse);
        events[0].Event.ShouldBe("message_start");
        events[0].Data.GetProperty("message").GetProperty("model").GetString().ShouldBe("claude-via-gemini");
        events[0].Data.GetProperty("message").GetProperty("id").GetString().ShouldBe("msg_switchboard");
        events[^1].Event.ShouldBe("message_stop");
    }

    [Fact]
    public void A_repeated_tool_call_start_and_nameless_ids_make_one_block_with_an_id()
    {
        var (sse, _) = Encode(e =>
        {
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = 0, Name = "f"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallStart, ToolIndex = 0, Name = "f"u8 });
            e.Write(new StreamEvent { Kind = StreamEventKind.ToolCallArguments, ToolIndex = 0, Text = "{}"u8 });
            e.Complete();
        });

        var starts = Events(sse).Where(e => e.Event == "content_block_start").ToList();
        starts.ShouldHaveSingleItem().Data.GetProperty("content_block").GetProperty("id").GetString().ShouldBe("toolu_switchboard_0");
    }

    [Fact]
    public void Openai_streams_translate_to_anthropic_streams_that_decode_back_to_the_same_content()
    {
        // The fake OpenAI upstream's documented streams, decoded by the OpenAI adapter and encoded for an Anthropic client.
        foreach (var tools in new[] { false, true })
        {
            var openAi = tools
                ? OpenAIStreamWithTool()
                : OpenAIStream();
            var output = new ArrayBufferWriter<byte>();
            var direct = new RecordingSink();
            using (var decoder = OpenAICompatibleAdapter.Instance.CreateStreamDecoder())
            using (var encoder = AnthropicClientDialect.Instance.CreateStreamEncoder(output, Envelope, "gpt-4o-mini", 0))
            {
                decoder.Decode(System.Text.Encoding.UTF8.GetBytes(openAi), new Tee(encoder, direct));
                decoder.Completed.ShouldBeTrue();
                encoder.Complete();
            }

            var back = new RecordingSink();
            using var anthropic = new AnthropicStreamDecoder();
            anthropic.Decode(output.WrittenSpan, back);

            anthropic.Completed.ShouldBeTrue();
            anthropic.Malformed.ShouldBeNull();
            back.Text().ShouldBe(direct.Text());
            back.Arguments(0).ShouldBe(direct.Arguments(0));
            if (tools) back.Arguments(0).ShouldBe(FakeOpenAIUpstream.ToolArguments, "the input arrives complete, never as {}");
            back.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(tools ? FinishReasons.ToolCalls : FinishReasons.Stop);
            anthropic.Usage.ShouldBe(new TokenUsage(FakeOpenAIUpstream.PromptTokens, FakeOpenAIUpstream.CompletionTokens,
                CachedInput: FakeOpenAIUpstream.CachedTokens, Reasoning: FakeOpenAIUpstream.ReasoningTokens));
        }
    }

    private sealed class Tee(IStreamEventSink first, IStreamEventSink second) : IStreamEventSink
    {
        public void Write(in StreamEvent streamEvent)
        {
            first.Write(streamEvent);
            second.Write(streamEvent);
        }
    }

    private static string OpenAIStream() =>
        Chunk("""{"role":"assistant","content":""}""", null)
        + string.Concat(FakeOpenAIUpstream.StreamTextDeltas.Select(d => Chunk($"{{\"content\":{JsonSerializer.Serialize(d)}}}", null)))
        + Chunk("{}", "\"stop\"") + UsageChunk() + "data: [DONE]\n\n";

    private static string OpenAIStreamWithTool() =>
        Chunk("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":""" + "\"" + FakeOpenAIUpstream.ToolCallId + "\"" + ""","type":"function","function":{"name":"get_current_weather","arguments":""}}]}""", null)
        + string.Concat(FakeOpenAIUpstream.ToolArgumentDeltas.Select(d => Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":""" + JsonSerializer.Serialize(d) + "}}]}", null)))
        + Chunk("{}", "\"tool_calls\"") + UsageChunk() + "data: [DONE]\n\n";

    private static string Chunk(string delta, string? finish) =>
        """data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":""" + delta + ""","logprobs":null,"finish_reason":""" + (finish ?? "null") + """}],"usage":null}""" + "\n\n";

    private static string UsageChunk() =>
        $$$"""data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":{{{FakeOpenAIUpstream.PromptTokens}}},"completion_tokens":{{{FakeOpenAIUpstream.CompletionTokens}}},"total_tokens":{{{FakeOpenAIUpstream.TotalTokens}}},"prompt_tokens_details":{"cached_tokens":{{{FakeOpenAIUpstream.CachedTokens}}}},"completion_tokens_details":{"reasoning_tokens":{{{FakeOpenAIUpstream.ReasoningTokens}}}""" + "}}}\n\n";
}
