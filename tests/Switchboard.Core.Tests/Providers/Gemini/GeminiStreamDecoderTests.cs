using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiStreamDecoderTests
{
    // A real streamGenerateContent?alt=sse answer: no usage counts until the last chunk, whose only part is an empty
    // text carrying the thought signature; events end in \r\n\r\n.
    private const string TextStream =
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"Hello!\"}]}}],\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"},\"modelVersion\": \"gemini-3.1-flash-lite-preview\",\"createTime\": \"2026-03-10T14:54:45.066123Z\",\"responseId\": \"tTCwacuEBMvnitYP06qsgQY\"}\r\n\r\n" +
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \" How can I help you today\"}]}}],\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"},\"modelVersion\": \"gemini-3.1-flash-lite-preview\",\"createTime\": \"2026-03-10T14:54:45.066123Z\",\"responseId\": \"tTCwacuEBMvnitYP06qsgQY\"}\r\n\r\n" +
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"?\"}]}}],\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"},\"modelVersion\": \"gemini-3.1-flash-lite-preview\",\"createTime\": \"2026-03-10T14:54:45.066123Z\",\"responseId\": \"tTCwacuEBMvnitYP06qsgQY\"}\r\n\r\n" +
        "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"\",\"thoughtSignature\": \"AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0=\"}]},\"finishReason\": \"STOP\"}],\"usageMetadata\": {\"promptTokenCount\": 1,\"candidatesTokenCount\": 9,\"totalTokenCount\": 10,\"trafficType\": \"ON_DEMAND\",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 1}],\"candidatesTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 9}]},\"modelVersion\": \"gemini-3.1-flash-lite-preview\",\"createTime\": \"2026-03-10T14:54:45.066123Z\",\"responseId\": \"tTCwacuEBMvnitYP06qsgQY\"}\r\n\r\n";

    // A thinking model with includeThoughts: thought parts first, running prompt counts on every chunk, the whole
    // usage (cached and thought tokens) with the last text and the finish.
    private const string ThinkingStream =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"**Counting paws**\\n\\nTwo dogs, four paws each.\",\"thought\":true}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":2048,\"totalTokenCount\":2048},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-think\"}\r\n\r\n" +
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"There are \\\"8\\\" paws \\u2014 \"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":2048,\"totalTokenCount\":2048},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-think\"}\r\n\r\n" +
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"in your house.\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":2048,\"candidatesTokenCount\":120,\"totalTokenCount\":2668,\"cachedContentTokenCount\":1536,\"thoughtsTokenCount\":500},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-think\"}\r\n\r\n";

    // Gemini sends function calls whole: parallel calls of one turn in the chunk that finishes.
    private const string ParallelCallStream =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"power_disco_ball\",\"args\":{\"power\":true}},\"thoughtSignature\":\"CiIBVKhc7oDRSX5XRkZ2b+Lk=\"},{\"functionCall\":{\"name\":\"start_music\",\"args\":{\"energetic\":true,\"loud\":true,\"note\":\"say \\\"hi\\\"\"}}}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":171,\"candidatesTokenCount\":42,\"totalTokenCount\":327,\"thoughtsTokenCount\":114},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r-tools\"}\r\n\r\n";

    public static TheoryData<string> DocumentedStreams => [TextStream, ThinkingStream, ParallelCallStream];

    [Fact]
    public void A_text_stream_becomes_start_deltas_finish_and_usage()
    {
        var (events, decoder) = Decode(TextStream);

        events.Select(e => e.ToString()).ShouldBe(
        [
            "Start(tTCwacuEBMvnitYP06qsgQY, gemini-3.1-flash-lite-preview)",
            "Text(Hello!)",
            "Text( How can I help you today)",
            "Text(?)",
            "Finish(stop)",
            $"Usage({new TokenUsage(1, 9)})",
        ]);
        decoder.Completed.ShouldBeTrue();
        decoder.Malformed.ShouldBeNull();
        decoder.Usage.ShouldBe(new TokenUsage(1, 9));
    }

    [Fact]
    public void Thoughts_become_reasoning_and_usage_counts_cached_and_thought_tokens()
    {
        var (events, decoder) = Decode(ThinkingStream);

        events.Select(e => e.ToString()).ShouldBe(
        [
            "Start(r-think, gemini-2.5-flash)",
            "Reasoning(**Counting paws**\n\nTwo dogs, four paws each.)",
            "Text(There are \"8\" paws — )",
            "Text(in your house.)",
            "Finish(stop)",
            $"Usage({new TokenUsage(2048, 620, CachedInput: 1536, Reasoning: 500)})",
        ]);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Parallel_function_calls_arrive_whole_with_their_arguments()
    {
        var (events, decoder) = Decode(ParallelCallStream);

        events.Select(e => e.ToString()).ShouldBe(
        [
            "Start(r-tools, gemini-2.5-flash)",
            "ToolStart(0, call_r-tools_0, power_disco_ball)",
            """ToolArguments(0, {"power":true})""",
            "ToolStart(1, call_r-tools_1, start_music)",
            """ToolArguments(1, {"energetic":true,"loud":true,"note":"say \"hi\""})""",
            "Finish(tool_calls)",
            $"Usage({new TokenUsage(171, 156, Reasoning: 114)})",
        ]);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Calls_in_separate_chunks_are_counted_on_and_keep_ids_gemini_gives()
    {
        var (events, _) = Decode(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Let me look.\"}],\"role\":\"model\"}}],\"responseId\":\"r\"}\n\n" +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"id\":\"fc-1\",\"name\":\"a\",\"args\":{}}}],\"role\":\"model\"}}]}\n\n" +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"b\"}}],\"role\":\"model\"},\"finishReason\":\"STOP\"}]}\n\n");

        events.Select(e => e.ToString()).ShouldBe(
        [
            "Start(r, )",
            "Text(Let me look.)",
            "ToolStart(0, fc-1, a)",
            "ToolArguments(0, {})",
            "ToolStart(1, call_r_1, b)",
            "ToolArguments(1, {})",
            "Finish(tool_calls)",
        ]);
    }

    [Theory]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("OTHER", "stop")]
    public void Finish_reasons_are_mapped(string gemini, string canonical)
    {
        var (events, decoder) = Decode($"data: {{\"candidates\":[{{\"content\":{{\"parts\":[{{\"text\":\"x\"}}],\"role\":\"model\"}},\"finishReason\":\"{gemini}\"}}]}}\n\n");

        events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(canonical);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void A_blocked_prompt_ends_the_stream_as_content_filtered()
    {
        var (events, decoder) = Decode(
            "data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\",\"safetyRatings\":[{\"category\":\"HARM_CATEGORY_DANGEROUS_CONTENT\",\"probability\":\"HIGH\"}]},\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"blk\"}\r\n\r\n");

        events.Select(e => e.ToString()).ShouldBe(["Start(blk, gemini-2.5-flash)", "Finish(content_filter)", $"Usage({new TokenUsage(9, 0)})"]);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Usage_goes_out_once_with_the_finish_not_with_every_chunk()
    {
        var (events, _) = Decode(ThinkingStream);

        events.Count(e => e.Kind == StreamEventKind.Usage).ShouldBe(1);
        events[^1].Kind.ShouldBe(StreamEventKind.Usage);
    }

    [Fact]
    public void Usage_after_the_finish_is_reported_again()
    {
        var (events, decoder) = Decode(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3}}\n\n" +
            "data: {\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1}}\n\n");

        events.Where(e => e.Kind == StreamEventKind.Usage).Select(e => e.Usage).ShouldBe([new TokenUsage(3, 0), new TokenUsage(3, 1)]);
        decoder.Usage.ShouldBe(new TokenUsage(3, 1));
    }

    [Theory]
    [MemberData(nameof(DocumentedStreams))]
    public void Split_at_every_byte_the_events_are_the_same(string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        var (whole, _) = Decode(stream);

        for (var split = 1; split < bytes.Length; split++)
        {
            var sink = new RecordingSink();
            using var decoder = new GeminiStreamDecoder();
            decoder.Decode(bytes.AsSpan(0, split), sink);
            decoder.Decode(bytes.AsSpan(split), sink);

            sink.Events.ShouldBe(whole, $"split at byte {split}");
            decoder.Completed.ShouldBeTrue();
        }
    }

    [Theory]
    [MemberData(nameof(DocumentedStreams))]
    public void Fed_one_byte_at_a_time_the_events_are_the_same(string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        var (whole, _) = Decode(stream);
        var sink = new RecordingSink();
        using var decoder = new GeminiStreamDecoder();

        for (var i = 0; i < bytes.Length; i++) decoder.Decode(bytes.AsSpan(i, 1), sink);

        sink.Events.ShouldBe(whole);
    }

    [Fact]
    public void A_stream_that_ends_before_a_finish_reason_is_not_completed()
    {
        var cut = TextStream[..TextStream.IndexOf("data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"\"", StringComparison.Ordinal)];

        var (events, decoder) = Decode(cut);

        decoder.Completed.ShouldBeFalse();
        decoder.Malformed.ShouldBeNull();
        events.ShouldNotContain(e => e.Kind == StreamEventKind.Finish);
        decoder.Usage.ShouldNotBeNull();
    }

    [Fact]
    public void A_chunk_that_is_not_json_stops_decoding()
    {
        var (events, decoder) = Decode(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"}}],\"responseId\":\"r\"}\n\n" +
            "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"lo\n\n" +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}],\"role\":\"model\"},\"finishReason\":\"STOP\"}]}\n\n");

        decoder.Malformed.ShouldBe("the provider sent a stream event that is not valid JSON");
        decoder.Completed.ShouldBeFalse();
        events.Select(e => e.ToString()).ShouldBe(["Start(r, )", "Text(Hel)"]);
    }

    [Theory]
    [InlineData("data: [\"not\",\"an\",\"object\"]\n\n")]
    [InlineData("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]\n\n")]
    [InlineData("data: \n\n")]
    public void A_chunk_that_is_not_a_response_object_is_malformed(string stream)
    {
        Decode(stream).Decoder.Malformed.ShouldNotBeNull();
    }

    [Fact]
    public void An_error_in_the_stream_stops_it_with_googles_message()
    {
        var (_, decoder) = Decode(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"}}]}\n\n" +
            "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded. Please try again later.\",\"status\":\"UNAVAILABLE\"}}\n\n");

        decoder.Malformed.ShouldBe("the provider sent an error in the stream: The model is overloaded. Please try again later.");
        decoder.Completed.ShouldBeFalse();
    }

    [Fact]
    public void Lines_that_are_not_data_are_skipped()
    {
        var (events, decoder) = Decode(": keep-alive\r\n\r\nevent: message\r\n" + TextStream);

        events.Count.ShouldBe(6);
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Empty_text_parts_are_not_events()
    {
        var (events, _) = Decode("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\"},{\"text\":\"\",\"thought\":true}],\"role\":\"model\"},\"finishReason\":\"STOP\"}]}\n\n");

        events.Select(e => e.Kind).ShouldBe([StreamEventKind.Start, StreamEventKind.Finish]);
    }

    [Fact]
    public void Only_the_first_candidate_is_translated()
    {
        var (events, _) = Decode(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"one\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0},{\"content\":{\"parts\":[{\"text\":\"two\"}],\"role\":\"model\"},\"finishReason\":\"MAX_TOKENS\",\"index\":1}]}\n\n");

        events.Select(e => e.ToString()).ShouldBe(["Start(, )", "Text(one)", "Finish(stop)"]);
    }

    [Fact]
    public void Decoding_a_chunk_allocates_nothing()
    {
        var first = Encoding.UTF8.GetBytes("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hi\"}],\"role\":\"model\"}}],\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}\r\n\r\n");
        var text = Encoding.UTF8.GetBytes("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"more \\\"quoted\\\" text\\n\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":9,\"totalTokenCount\":9},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r\"}\r\n\r\n");
        var call = Encoding.UTF8.GetBytes("data: {\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"f\",\"args\":{\"a\":1}}}],\"role\":\"model\"}}]}\r\n\r\n");
        var counter = new CountingSink();
        for (var warmUp = 0; warmUp < 2; warmUp++)
        {
            using var decoder = new GeminiStreamDecoder();
            decoder.Decode(first, counter);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 200; i++)
            {
                decoder.Decode(text, counter);
                decoder.Decode(call, counter);
            }
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            if (warmUp == 1) allocated.ShouldBe(0, "bytes allocated while decoding 400 chunks");
        }
        counter.Count.ShouldBe(2 * (1 + 1 + 200 * 3));
    }

    private sealed class CountingSink : IStreamEventSink
    {
        public int Count { get; private set; }

        public void Write(in StreamEvent streamEvent) => Count++;
    }

    private static (List<RecordedEvent> Events, GeminiStreamDecoder Decoder) Decode(string stream)
    {
        var sink = new RecordingSink();
        var decoder = new GeminiStreamDecoder();
        decoder.Decode(Encoding.UTF8.GetBytes(stream), sink);
        decoder.Dispose();
        return (sink.Events, decoder);
    }
}
