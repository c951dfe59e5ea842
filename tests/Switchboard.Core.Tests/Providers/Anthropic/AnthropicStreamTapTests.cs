using System.Buffers;
using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicStreamTapTests
{
    private static (string Forwarded, Switchboard.Chat.IStreamRelay Relay) RelayWhole(string stream)
    {
        var output = new ArrayBufferWriter<byte>();
        var relay = AnthropicClientDialect.Instance.CreateRelay(ChatRequestScanner.Scan("""{"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""u8));
        relay.Relay(Encoding.UTF8.GetBytes(stream), output);
        return (Encoding.UTF8.GetString(output.WrittenSpan), relay);
    }

    [Theory]
    [InlineData(AnthropicStreams.Basic)]
    [InlineData(AnthropicStreams.ToolUse)]
    [InlineData(AnthropicStreams.Thinking)]
    public void A_whole_stream_passes_through_byte_for_byte_and_ends_done(string stream)
    {
        var (forwarded, relay) = RelayWhole(stream);

        forwarded.ShouldBe(stream);
        relay.Done.ShouldBeTrue();
        relay.Malformed.ShouldBeNull();
        relay.Forwarded.ShouldBe(Encoding.UTF8.GetByteCount(stream));
    }

    [Fact]
    public void Usage_joins_the_prompt_counts_of_message_start_with_the_output_of_message_delta()
    {
        RelayWhole(AnthropicStreams.Basic).Relay.Usage.ShouldBe(new TokenUsage(11, 6));
        RelayWhole(AnthropicStreams.ParallelToolUse).Relay.Usage.ShouldBe(new TokenUsage(155, 40, CachedInput: 100, CacheWrite: 30));
        RelayWhole(AnthropicStreams.Thinking).Relay.Usage.ShouldBeNull();
    }

    [Fact]
    public void Split_at_every_byte_only_whole_lines_are_forwarded_and_all_of_them_arrive()
    {
        var bytes = Encoding.UTF8.GetBytes(AnthropicStreams.ToolUse);
        for (var split = 1; split < bytes.Length; split++)
        {
            var output = new ArrayBufferWriter<byte>();
            using var relay = new AnthropicStreamTap();

            relay.Relay(bytes.AsSpan(0, split), output);
            var first = output.WrittenCount;
            var lastNewline = Array.LastIndexOf(bytes, (byte)'\n', split - 1);
            first.ShouldBe(lastNewline + 1, $"after the first {split} bytes only whole lines go out");
            relay.Relay(bytes.AsSpan(split), output);

            output.WrittenSpan.SequenceEqual(bytes).ShouldBeTrue($"split at byte {split}");
            relay.Done.ShouldBeTrue();
            relay.Usage.ShouldBe(new TokenUsage(377, 65));
        }
    }

    [Fact]
    public void A_cut_stream_is_not_done()
    {
        var cut = AnthropicStreams.Basic[..AnthropicStreams.Basic.IndexOf("event: message_stop", StringComparison.Ordinal)];

        var (forwarded, relay) = RelayWhole(cut);

        forwarded.ShouldBe(cut);
        relay.Done.ShouldBeFalse();
        relay.Malformed.ShouldBeNull();
    }

    [Fact]
    public void A_broken_event_stops_the_relay_before_it_reaches_the_client()
    {
        var broken = AnthropicStreams.Basic.Replace("\"text\":\" there\"}}", "\"text\":\" there\"", StringComparison.Ordinal);
        var brokenLine = broken.IndexOf("data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" there\"", StringComparison.Ordinal);

        var (forwarded, relay) = RelayWhole(broken);

        forwarded.ShouldBe(broken[..brokenLine]);
        relay.Malformed.ShouldNotBeNull().ShouldContain("not valid JSON");
        relay.Done.ShouldBeFalse();

        var output = new ArrayBufferWriter<byte>();
        relay.Relay("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8, output);
        output.WrittenCount.ShouldBe(0, "nothing goes out after a broken event");
    }

    [Fact]
    public void The_providers_error_event_is_forwarded_whole_and_ends_the_relay_as_failed()
    {
        var (forwarded, relay) = RelayWhole(AnthropicStreams.Overloaded);
        var tap = (AnthropicStreamTap)relay;

        forwarded.ShouldBe(AnthropicStreams.Overloaded.TrimEnd('\n') + "\n\n");
        forwarded.ShouldEndWith("event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n");
        tap.ErrorForwarded.ShouldBeTrue();
        tap.ErrorType.ShouldBe("overloaded_error");
        relay.Malformed.ShouldBe("the provider ended the stream with overloaded_error: Overloaded");
        relay.Done.ShouldBeFalse();
    }
}
