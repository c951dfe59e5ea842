using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Bedrock;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Bedrock;

/// <summary>
/// ConverseStream decoding. Payloads follow the API reference's ConverseStreamOutput members and answers Bedrock sent
/// (recorded in github.com/vercel/ai's amazon-bedrock fixtures: bedrock-tool-call.1.chunks.txt, bedrock-reasoning.chunks.txt,
/// issue-18994-live-converse-stream.json), with Bedrock's "p" padding field where it sends one.
/// </summary>
public sealed class BedrockStreamDecoderTests
{
    [Fact]
    public void Decodes_a_stream_bedrock_sent()
    {
        var (sink, decoder) = Decode(BedrockCaptures.LiveStream);

        sink.Events.Select(e => e.Kind).ShouldBe(
        [
            StreamEventKind.Start, StreamEventKind.TextDelta, StreamEventKind.TextDelta, StreamEventKind.Finish, StreamEventKind.Usage,
        ]);
        sink.Text().ShouldBe("OK.");
        // Converse names no response id or model: the answer gets an id, the encoder keeps the requested model.
        sink.Events[0].Id.ShouldStartWith("chatcmpl-bedrock-");
        sink.Events[0].Name.ShouldBeEmpty();
        sink.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.Stop);
        decoder.Usage.ShouldBe(new TokenUsage(12, 5));
        decoder.Completed.ShouldBeTrue();
        decoder.Malformed.ShouldBeNull();
    }

    [Fact]
    public void Tool_use_starts_and_input_fragments_become_a_tool_call_with_its_arguments()
    {
        var (sink, decoder) = Decode(ToolUseStream());

        var start = sink.Events.Single(e => e.Kind == StreamEventKind.ToolCallStart);
        start.ToolIndex.ShouldBe(0);
        start.Id.ShouldBe("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        start.Name.ShouldBe("top_song");
        sink.Arguments(0).ShouldBe("""{"sign": "WZPZ"}""");
        sink.Text().ShouldBe("I'll look that up.");
        sink.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.ToolCalls);
        decoder.Usage.ShouldBe(new TokenUsage(125 + 100 + 20, 45, CachedInput: 100, CacheWrite: 20));
        decoder.Completed.ShouldBeTrue();
        // Start comes once, first; the call's start precedes its arguments; finish and usage come last.
        sink.Events[0].Kind.ShouldBe(StreamEventKind.Start);
        sink.Events.Count(e => e.Kind == StreamEventKind.Start).ShouldBe(1);
        sink.Events.FindIndex(e => e.Kind == StreamEventKind.ToolCallStart).ShouldBeLessThan(sink.Events.FindIndex(e => e.Kind == StreamEventKind.ToolCallArguments));
        sink.Events[^2].Kind.ShouldBe(StreamEventKind.Finish);
        sink.Events[^1].Kind.ShouldBe(StreamEventKind.Usage);
    }

    [Fact]
    public void A_stream_split_at_any_byte_decodes_the_same()
    {
        var stream = ToolUseStream();
        var whole = Decode(stream).Sink.Events;

        for (var cut = 1; cut < stream.Length; cut++)
        {
            var (sink, decoder) = Decode(stream[..cut], stream[cut..]);
            // Each answer gets its own id on Start; everything after it must be the same.
            sink.Events[0].Kind.ShouldBe(StreamEventKind.Start);
            sink.Events.Skip(1).ShouldBe(whole.Skip(1), $"split at byte {cut}");
            decoder.Completed.ShouldBeTrue();
        }
    }

    [Fact]
    public void Parallel_tool_uses_are_numbered_in_the_order_they_start()
    {
        var stream = Concat(
            Event("messageStart", """{"role":"assistant"}"""),
            Event("contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"tooluse_hr5juciYZJwUHpRczsw13R","name":"get_resistor_value"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"ref\":"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"R1\"}"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            Event("contentBlockStart", """{"contentBlockIndex":1,"start":{"toolUse":{"toolUseId":"tooluse_AZHw3Ym0S07qOv5NlXj9iJ","name":"get_capacitor_value"}}}"""),
            // The block index may follow the delta: the input still belongs to block 1.
            Event("contentBlockDelta", """{"delta":{"toolUse":{"input":"{\"ref\":\"C1\"}"}},"contentBlockIndex":1}"""),
            Event("contentBlockStop", """{"contentBlockIndex":1}"""),
            Event("messageStop", """{"stopReason":"tool_use"}"""),
            Event("metadata", """{"usage":{"inputTokens":694,"outputTokens":110,"totalTokens":804},"metrics":{"latencyMs":2192}}"""));

        var (sink, _) = Decode(stream);

        sink.Events.Where(e => e.Kind == StreamEventKind.ToolCallStart).Select(e => (e.ToolIndex, e.Name))
            .ShouldBe([(0, "get_resistor_value"), (1, "get_capacitor_value")]);
        sink.Arguments(0).ShouldBe("""{"ref":"R1"}""");
        sink.Arguments(1).ShouldBe("""{"ref":"C1"}""");
    }

    [Fact]
    public void Reasoning_deltas_are_thinking_and_their_signature_is_not_text()
    {
        var stream = Concat(
            Event("messageStart", """{"role":"assistant"}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"Let me count the r"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":"'s in \"strawberry\":"}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"text":""}}}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"reasoningContent":{"signature":"Ep0CCkgICxABGAIqQOWPB6/PmA5SW9jC6FvaNq3E+U9ev4FMWcFWuAho+VGLCtazKc5WDjQ5i0MuxsY0o5pKDSVWVKii8KJDusXH4eASDK7jyzuk8iij7fJNihoM"}}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":0}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"text":"There are **3** r's in \"strawberry\""}}"""),
            Event("contentBlockStop", """{"contentBlockIndex":1}"""),
            Event("messageStop", """{"additionalModelResponseFields":{"delta":{"stop_sequence":null}},"stopReason":"end_turn"}"""),
            Event("metadata", """{"metrics":{"latencyMs":2281},"usage":{"inputTokens":51,"outputTokens":94,"serverToolUsage":{},"totalTokens":145}}"""));

        var (sink, decoder) = Decode(stream);

        sink.Text(StreamEventKind.ReasoningDelta).ShouldBe("Let me count the r's in \"strawberry\":");
        sink.Text().ShouldBe("There are **3** r's in \"strawberry\"");
        sink.Events.Count(e => e.Kind == StreamEventKind.ReasoningDelta).ShouldBe(2);
        decoder.Usage.ShouldBe(new TokenUsage(51, 94));
    }

    [Theory]
    [InlineData("end_turn", FinishReasons.Stop)]
    [InlineData("stop_sequence", FinishReasons.Stop)]
    [InlineData("max_tokens", FinishReasons.Length)]
    [InlineData("model_context_window_exceeded", FinishReasons.Length)]
    [InlineData("tool_use", FinishReasons.ToolCalls)]
    [InlineData("guardrail_intervened", FinishReasons.ContentFilter)]
    [InlineData("content_filtered", FinishReasons.ContentFilter)]
    public void Stop_reasons_become_canonical_finish_reasons(string stopReason, string finishReason)
    {
        var (sink, _) = Decode(Concat(Event("messageStart", """{"role":"assistant"}"""), Event("messageStop", $$"""{"stopReason":"{{stopReason}}"}""")));

        sink.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(finishReason);
    }

    [Fact]
    public void An_exception_event_stops_decoding_with_its_type_and_message()
    {
        var stream = Concat(BedrockCaptures.LiveStream.AsSpan(0, BedrockCaptures.LiveStreamFrameLengths[0] + BedrockCaptures.LiveStreamFrameLengths[1]).ToArray(),
            BedrockCaptures.ModelStreamError, Event("metadata", """{"usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}"""));

        var (sink, decoder) = Decode(stream);

        decoder.Malformed.ShouldBe("Bedrock ended the stream with modelStreamErrorException: Model Stream Error");
        sink.Text().ShouldBe("OK");
        decoder.Completed.ShouldBeFalse();
        decoder.Usage.ShouldBeNull();
    }

    [Fact]
    public void A_throttling_exception_mid_stream_keeps_bedrocks_message()
    {
        var stream = Concat(Event("messageStart", """{"role":"assistant"}"""),
            BedrockEventStreamEncoder.Exception("throttlingException", """{"message":"Too many tokens, please wait before trying again."}"""u8));

        var (_, decoder) = Decode(stream);

        decoder.Malformed.ShouldBe("Bedrock ended the stream with throttlingException: Too many tokens, please wait before trying again.");
    }

    [Fact]
    public void A_stream_cut_before_its_metadata_is_not_complete()
    {
        var lengths = BedrockCaptures.LiveStreamFrameLengths;
        var withoutMetadata = BedrockCaptures.LiveStream.AsSpan(0, lengths.Sum() - lengths[^1]).ToArray();

        var (sink, decoder) = Decode(withoutMetadata);

        sink.Events.ShouldContain(e => e.Kind == StreamEventKind.Finish);
        decoder.Completed.ShouldBeFalse();
        decoder.Malformed.ShouldBeNull();
    }

    [Fact]
    public void A_stream_cut_inside_a_frame_is_not_complete()
    {
        var (_, decoder) = Decode(BedrockCaptures.LiveStream[..^10]);

        decoder.Completed.ShouldBeFalse();
        decoder.Malformed.ShouldBeNull();
    }

    [Fact]
    public void Metadata_before_the_stop_still_completes_once_both_have_come()
    {
        var (sink, decoder) = Decode(Concat(
            Event("messageStart", """{"role":"assistant"}"""),
            Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hi"}}"""),
            Event("metadata", """{"usage":{"inputTokens":125,"outputTokens":45,"totalTokens":170},"metrics":{"latencyMs":234}}""")));

        decoder.Completed.ShouldBeFalse();
        var stop = Event("messageStop", """{"stopReason":"end_turn"}""");
        decoder.Decode(stop, sink);

        decoder.Completed.ShouldBeTrue();
        decoder.Usage.ShouldBe(new TokenUsage(125, 45));
    }

    [Fact]
    public void An_event_that_is_not_json_is_malformed()
    {
        var (_, decoder) = Decode(Concat(Event("messageStart", """{"role":"assistant"}"""), Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"Hel""")));

        decoder.Malformed.ShouldBe("the provider sent a contentBlockDelta event that is not valid JSON");
    }

    [Fact]
    public void Tool_input_for_a_block_that_is_not_a_tool_use_is_malformed()
    {
        var (_, decoder) = Decode(Concat(Event("messageStart", """{"role":"assistant"}"""), Event("contentBlockDelta", """{"contentBlockIndex":3,"delta":{"toolUse":{"input":"{}"}}}""")));

        decoder.Malformed.ShouldBe("the provider sent a contentBlockDelta event that is not valid JSON");
    }

    [Fact]
    public void A_bad_crc_is_malformed()
    {
        var stream = BedrockCaptures.LiveStream.ToArray();
        stream[200] ^= 0x01;

        var (sink, decoder) = Decode(stream);

        decoder.Malformed.ShouldBe("the event stream is broken: the message's CRC does not match");
        sink.Events.Select(e => e.Kind).ShouldBe([StreamEventKind.Start]);
    }

    [Fact]
    public void Event_types_bedrock_adds_later_are_passed_over()
    {
        var (sink, decoder) = Decode(Concat(BedrockCaptures.LiveStream, Event("somethingNew", """{"x":1}""")));

        decoder.Malformed.ShouldBeNull();
        sink.Text().ShouldBe("OK.");
    }

    /// <summary>
    /// A tool-calling answer as Claude on Bedrock streams one: a text block, then a tool use whose input arrives in
    /// fragments (escaped inside the event's JSON), then the stop and the metadata with cache counts.
    /// </summary>
    private static byte[] ToolUseStream() => Concat(
        Event("messageStart", """{"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012","role":"assistant"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":"I'll look"},"p":"abcdefghijklmnopq"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"text":" that up."},"p":"abcdefgh"}"""),
        Event("contentBlockStop", """{"contentBlockIndex":0,"p":"ab"}"""),
        Event("contentBlockStart", """{"contentBlockIndex":1,"p":"abcdef","start":{"toolUse":{"name":"top_song","toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":""}},"p":"abcdefghijklmnopqrstuvwxyzABC"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"{\"sign\": "}},"p":"abcdefghijklmno"}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":1,"delta":{"toolUse":{"input":"\"WZPZ\"}"}},"p":"abcd"}"""),
        Event("contentBlockStop", """{"contentBlockIndex":1,"p":"abcdefghijklmnopqrstuvwxy"}"""),
        Event("messageStop", """{"p":"abcdefghijklmnopqrstuvw","stopReason":"tool_use"}"""),
        Event("metadata", """{"metrics":{"latencyMs":234},"p":"abc","usage":{"cacheReadInputTokens":100,"cacheWriteInputTokens":20,"inputTokens":125,"outputTokens":45,"totalTokens":290}}"""));

    private static byte[] Event(string type, string json) => BedrockEventStreamEncoder.Event(type, Encoding.UTF8.GetBytes(json));

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static (RecordingSink Sink, BedrockStreamDecoder Decoder) Decode(params byte[][] reads)
    {
        var sink = new RecordingSink();
        var decoder = new BedrockStreamDecoder();
        foreach (var read in reads) decoder.Decode(read, sink);
        return (sink, decoder);
    }
}
