using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicStreamDecoderTests
{
    private static (RecordingSink Events, AnthropicStreamDecoder Decoder) DecodeWhole(string stream)
    {
        var recorder = new RecordingSink();
        var decoder = new AnthropicStreamDecoder();
        decoder.Decode(Encoding.UTF8.GetBytes(stream), recorder);
        return (recorder, decoder);
    }

    [Fact]
    public void Text_stream_becomes_start_text_finish_and_usage_with_the_prompt_counts_of_message_start()
    {
        var (events, decoder) = DecodeWhole(AnthropicStreams.Basic);

        events.Events.Select(e => e.ToString()).ShouldBe(
        [
            "Start(msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK, claude-3-opus-latest)",
            $"Usage({new TokenUsage(11, 1)})",
            "Text(Hello)",
            "Text( there)",
            "Text(!)",
            "Finish(stop)",
            $"Usage({new TokenUsage(11, 6)})",
        ]);
        decoder.Completed.ShouldBeTrue();
        decoder.Malformed.ShouldBeNull();
        decoder.Usage.ShouldBe(new TokenUsage(11, 6));
    }

    [Fact]
    public void Tool_use_stream_gives_the_call_its_id_and_name_then_its_input_fragments_in_order()
    {
        var (events, decoder) = DecodeWhole(AnthropicStreams.ToolUse);

        events.Text().ShouldBe("I'll check the current weather in Paris for you.");
        var start = events.Events.Single(e => e.Kind == StreamEventKind.ToolCallStart);
        start.ShouldBe(new RecordedEvent(StreamEventKind.ToolCallStart, 0, "", "toolu_01NRLabsLyVHZPKxbKvkfSMn", "get_weather"));
        events.Arguments(0).ShouldBe("{\"location\": \"Paris\"}");
        events.Events.Where(e => e.Kind == StreamEventKind.ToolCallArguments).ShouldAllBe(e => e.Text.Length > 0, "the empty first fragment carries nothing");
        events.Events.IndexOf(start).ShouldBeLessThan(events.Events.FindIndex(e => e.Kind == StreamEventKind.ToolCallArguments));
        events.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.ToolCalls);
        decoder.Usage.ShouldBe(new TokenUsage(377, 65));
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Parallel_tool_calls_are_numbered_among_calls_and_cache_reads_and_writes_count_into_the_prompt()
    {
        var (events, decoder) = DecodeWhole(AnthropicStreams.ParallelToolUse);

        events.Events.Where(e => e.Kind == StreamEventKind.ToolCallStart).Select(e => (e.ToolIndex, e.Id, e.Name)).ShouldBe(
        [
            (0, "toolu_01A09q90qw90lq917835lq9", "get_weather"),
            (1, "toolu_01T1x1fJ34qAmk2tNTrN7Up6", "get_time"),
        ]);
        events.Arguments(0).ShouldBe("{\"location\": \"Paris\"}");
        events.Arguments(1).ShouldBe("{\"timezone\": \"Europe/Paris\"}");
        decoder.Usage.ShouldBe(new TokenUsage(Input: 155, Output: 40, CachedInput: 100, CacheWrite: 30));
    }

    [Fact]
    public void Thinking_streams_as_reasoning_with_escapes_undone_and_the_signature_left_out()
    {
        var (events, decoder) = DecodeWhole(AnthropicStreams.Thinking);

        events.Text(StreamEventKind.ReasoningDelta).ShouldBe(
            "I need to find the GCD of 1071 and 462 using the Euclidean algorithm.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo GCD(1071, 462) = 21");
        events.Text().ShouldBe("The greatest common divisor of 1071 and 462 is **21**.");
        events.Events.Select(e => e.Kind).ShouldNotContain(StreamEventKind.Usage, "this stream reports no usage");
        decoder.Usage.ShouldBeNull();
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Thinking_tokens_reported_in_output_tokens_details_are_reasoning()
    {
        const string stream = """
            data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":1}}}

            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":30,"output_tokens_details":{"thinking_tokens":12}}}

            data: {"type":"message_stop"}


            """;

        var (_, decoder) = DecodeWhole(stream);

        decoder.Usage.ShouldBe(new TokenUsage(10, 30, Reasoning: 12));
    }

    [Theory]
    [InlineData("end_turn", FinishReasons.Stop)]
    [InlineData("stop_sequence", FinishReasons.Stop)]
    [InlineData("pause_turn", FinishReasons.Stop)]
    [InlineData("max_tokens", FinishReasons.Length)]
    [InlineData("model_context_window_exceeded", FinishReasons.Length)]
    [InlineData("tool_use", FinishReasons.ToolCalls)]
    [InlineData("refusal", FinishReasons.ContentFilter)]
    public void Stop_reasons_become_finish_reasons(string stopReason, string finishReason)
    {
        var stream = AnthropicStreams.Basic.Replace("\"end_turn\"", $"\"{stopReason}\"", StringComparison.Ordinal);

        var (events, _) = DecodeWhole(stream);

        events.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(finishReason);
    }

    [Fact]
    public void A_refusal_with_stop_details_is_a_content_filter_finish()
    {
        var (events, decoder) = DecodeWhole(AnthropicStreams.Refusal);

        events.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.ContentFilter);
        events.Text().ShouldBeEmpty();
        decoder.Completed.ShouldBeTrue();
    }

    public static TheoryData<string> Streams() =>
    [
        AnthropicStreams.Basic, AnthropicStreams.ToolUse, AnthropicStreams.ParallelToolUse, AnthropicStreams.Thinking, AnthropicStreams.Refusal,
    ];

    [Theory]
    [MemberData(nameof(Streams))]
    public void Split_at_every_byte_the_stream_decodes_to_the_same_events(string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        var (whole, _) = DecodeWhole(stream);

        for (var split = 1; split < bytes.Length; split++)
        {
            var recorder = new RecordingSink();
            using var decoder = new AnthropicStreamDecoder();
            decoder.Decode(bytes.AsSpan(0, split), recorder);
            decoder.Decode(bytes.AsSpan(split), recorder);

            recorder.Events.ShouldBe(whole.Events, $"split at byte {split}");
            decoder.Completed.ShouldBeTrue();
        }
    }

    [Fact]
    public void Fed_one_byte_at_a_time_the_stream_decodes_to_the_same_events()
    {
        var bytes = Encoding.UTF8.GetBytes(AnthropicStreams.ToolUse);
        var (whole, _) = DecodeWhole(AnthropicStreams.ToolUse);
        var recorder = new RecordingSink();
        using var decoder = new AnthropicStreamDecoder();

        for (var i = 0; i < bytes.Length; i++) decoder.Decode(bytes.AsSpan(i, 1), recorder);

        recorder.Events.ShouldBe(whole.Events);
    }

    [Fact]
    public void Crlf_line_endings_decode_the_same()
    {
        var (lf, _) = DecodeWhole(AnthropicStreams.ToolUse);
        var (crlf, decoder) = DecodeWhole(AnthropicStreams.ToolUse.Replace("\n", "\r\n", StringComparison.Ordinal));

        crlf.Events.ShouldBe(lf.Events);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void A_stream_cut_before_message_stop_is_not_completed()
    {
        var cut = AnthropicStreams.Basic[..AnthropicStreams.Basic.IndexOf("event: message_stop", StringComparison.Ordinal)];

        var (events, decoder) = DecodeWhole(cut);

        decoder.Completed.ShouldBeFalse();
        decoder.Malformed.ShouldBeNull();
        events.Text().ShouldBe("Hello there!");
    }

    [Fact]
    public void An_event_that_is_not_json_stops_decoding_as_malformed()
    {
        var broken = AnthropicStreams.Basic.Replace("\"text\":\" there\"}}", "\"text\":\" there\"", StringComparison.Ordinal);

        var (events, decoder) = DecodeWhole(broken);

        decoder.Malformed.ShouldNotBeNull().ShouldContain("not valid JSON");
        decoder.Completed.ShouldBeFalse("nothing after the broken event is read, message_stop included");
        events.Text().ShouldBe("Hello");
    }

    [Theory]
    [InlineData("data: [1,2]\n\n")]
    [InlineData("data: {\"index\":0}\n\n")]
    [InlineData("data: {\"type\":\"message_stop\"} trailing\n\n")]
    public void Events_that_are_not_typed_objects_are_malformed(string stream)
    {
        var (_, decoder) = DecodeWhole(stream);

        decoder.Malformed.ShouldNotBeNull();
    }

    [Fact]
    public void An_error_event_ends_decoding_with_the_providers_error_type_message_and_category()
    {
        var (events, decoder) = DecodeWhole(AnthropicStreams.Overloaded);

        events.Text().ShouldBe("Hello");
        decoder.Completed.ShouldBeFalse();
        decoder.Malformed.ShouldBe("the provider ended the stream with overloaded_error: Overloaded");
        decoder.ErrorType.ShouldBe("overloaded_error");
        decoder.ErrorMessage.ShouldBe("Overloaded");
        decoder.ErrorCategory.ShouldBe(ErrorCategory.Unavailable);
    }

    [Fact]
    public void Unknown_event_types_and_block_kinds_are_skipped()
    {
        const string stream = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"claude-sonnet-4-5","usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"query\":\"x\"}"}}

            event: future_event
            data: {"type":"future_event","whatever":[1,2,3]}

            event: content_block_start
            data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"citations_delta","citation":{"type":"char_location"}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Found it."}}

            event: message_stop
            data: {"type":"message_stop"}


            """;

        var (events, decoder) = DecodeWhole(stream);

        events.Events.Select(e => e.Kind).ShouldNotContain(StreamEventKind.ToolCallStart);
        events.Events.Select(e => e.Kind).ShouldNotContain(StreamEventKind.ToolCallArguments);
        events.Text().ShouldBe("Found it.");
        decoder.Malformed.ShouldBeNull();
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Properties_in_any_order_decode_the_same()
    {
        const string stream = """
            data: {"message":{"usage":{"output_tokens":1,"input_tokens":7},"model":"claude-haiku-4-5","id":"msg_2"},"type":"message_start"}

            data: {"content_block":{"input":{},"name":"f","id":"toolu_9","type":"tool_use"},"index":0,"type":"content_block_start"}

            data: {"delta":{"partial_json":"{}","type":"input_json_delta"},"index":0,"type":"content_block_delta"}

            data: {"usage":{"output_tokens":9},"delta":{"stop_sequence":null,"stop_reason":"tool_use"},"type":"message_delta"}

            data: {"type":"message_stop"}


            """;

        var (events, decoder) = DecodeWhole(stream);

        events.Events.Select(e => e.ToString()).ShouldBe(
        [
            "Start(msg_2, claude-haiku-4-5)",
            $"Usage({new TokenUsage(7, 1)})",
            "ToolStart(0, toolu_9, f)",
            "ToolArguments(0, {})",
            "Finish(tool_calls)",
            $"Usage({new TokenUsage(7, 9)})",
        ]);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void A_tool_use_start_that_carries_its_whole_input_gives_it_as_arguments()
    {
        const string stream = """
            data: {"type":"message_start","message":{"id":"msg_3","model":"m"}}

            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{"a":1}}}

            data: {"type":"message_stop"}


            """;

        var (events, _) = DecodeWhole(stream);

        events.Arguments(0).ShouldBe("{\"a\":1}");
    }
}
