using System.Buffers.Binary;
using System.Text;
using Shouldly;
using Switchboard.Providers.Bedrock;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Bedrock;

public sealed class AwsEventStreamReaderTests
{
    [Fact]
    public void Reads_every_message_bedrock_sent()
    {
        var messages = ReadAll(BedrockCaptures.LiveStream);

        messages.Select(m => m.EventType).ShouldBe(["messageStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"]);
        messages.ShouldAllBe(m => m.MessageType == "event" && m.ContentType == "application/json");
        messages[1].Payload.ShouldBe("""{"contentBlockIndex":0,"delta":{"text":"OK"},"p":"abcdefghijklmnopqrstuvwx"}""");
        messages[5].Payload.ShouldEndWith("\"usage\":{\"inputTokens\":12,\"outputTokens\":5,\"serverToolUsage\":{},\"totalTokens\":17}}");
    }

    [Fact]
    public void Reads_an_exception_message_with_its_type()
    {
        var message = ReadAll(BedrockCaptures.ModelStreamError).ShouldHaveSingleItem();

        message.MessageType.ShouldBe("exception");
        message.ExceptionType.ShouldBe("modelStreamErrorException");
        message.Payload.ShouldBe("""{"message":"Model Stream Error","originalStatusCode":500,"originalMessage":"The model stream failed."}""");
    }

    [Fact]
    public void The_test_encoder_writes_the_frames_bedrock_writes_byte_for_byte()
    {
        var first = BedrockCaptures.LiveStream.AsSpan(0, BedrockCaptures.LiveStreamFrameLengths[0]);

        var encoded = BedrockEventStreamEncoder.Event("messageStart", """{"p":"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012","role":"assistant"}"""u8);

        encoded.ShouldBe(first.ToArray());
    }

    [Fact]
    public void A_stream_split_at_any_byte_reads_the_same()
    {
        var stream = BedrockCaptures.LiveStream;
        var whole = ReadAll(stream);

        for (var cut = 1; cut < stream.Length; cut++)
        {
            ReadAll(stream[..cut], stream[cut..]).ShouldBe(whole, $"split at byte {cut}");
        }
    }

    [Fact]
    public void A_stream_arriving_one_byte_at_a_time_reads_the_same()
    {
        var stream = BedrockCaptures.LiveStream;

        ReadAll([.. stream.Select(b => new[] { b })]).ShouldBe(ReadAll(stream));
    }

    [Fact]
    public void A_bad_prelude_crc_is_malformed_and_stops_reading()
    {
        var stream = BedrockCaptures.LiveStream.ToArray();
        stream[9] ^= 0x01;
        using var reader = new AwsEventStreamReader();

        ReadOnlySpan<byte> bytes = stream;
        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldBe("the event stream is broken: the prelude's CRC does not match");
        bytes = stream.AsSpan(BedrockCaptures.LiveStreamFrameLengths[0]);
        reader.TryRead(ref bytes, out _).ShouldBeFalse();
    }

    [Fact]
    public void A_bad_message_crc_is_malformed_even_when_the_frame_arrives_in_pieces()
    {
        var stream = BedrockCaptures.LiveStream.ToArray();
        var second = BedrockCaptures.LiveStreamFrameLengths[0];
        stream[second + 120] ^= 0x20; // a byte of the second message's payload
        using var reader = new AwsEventStreamReader();

        ReadOnlySpan<byte> bytes = stream.AsSpan(0, second + 100);
        reader.TryRead(ref bytes, out var first).ShouldBeTrue();
        Encoding.UTF8.GetString(first.EventType).ShouldBe("messageStart");
        reader.TryRead(ref bytes, out _).ShouldBeFalse();
        reader.Malformed.ShouldBeNull();
        bytes = stream.AsSpan(second + 100);
        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldBe("the event stream is broken: the message's CRC does not match");
    }

    [Fact]
    public void A_truncated_frame_waits_for_the_rest_without_being_malformed()
    {
        using var reader = new AwsEventStreamReader();
        ReadOnlySpan<byte> bytes = BedrockCaptures.LiveStream.AsSpan(0, 100);

        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldBeNull();
        reader.Pending.ShouldBe(100);
    }

    [Fact]
    public void Headers_of_every_value_type_are_stepped_over()
    {
        var frame = BedrockEventStreamEncoder.Encode(
        [
            new("flag-true", true),
            new("flag-false", false),
            new("byte", (sbyte)-3),
            new("short", (short)1234),
            new("int", 123456),
            new("long", 1234567890123L),
            new("blob", new byte[] { 1, 2, 3, 0, 7 }),
            new(":event-type", "contentBlockStop"),
            new("when", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)),
            new("id", Guid.Parse("1b4e28ba-2fa1-11d2-883f-0016d3cca427")),
            new(":message-type", "event"),
        ], """{"contentBlockIndex":0}"""u8);

        var message = ReadAll(frame).ShouldHaveSingleItem();

        message.EventType.ShouldBe("contentBlockStop");
        message.MessageType.ShouldBe("event");
        message.Payload.ShouldBe("""{"contentBlockIndex":0}""");
    }

    [Fact]
    public void A_header_of_an_unknown_type_is_malformed()
    {
        // name "x", type 10 (none such), one byte of value; framed with correct CRCs so only the header is wrong.
        var frame = Frame([1, (byte)'x', 10, 0], "{}"u8);
        using var reader = new AwsEventStreamReader();
        ReadOnlySpan<byte> bytes = frame;

        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldBe("the event stream is broken: a header has the unknown value type 10");
    }

    [Fact]
    public void A_header_running_past_the_headers_is_malformed()
    {
        // A string header claiming 200 bytes of value in 4 bytes of headers.
        var frame = Frame([1, (byte)'x', 7, 0, 200], "{}"u8);
        using var reader = new AwsEventStreamReader();
        ReadOnlySpan<byte> bytes = frame;

        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldBe("the event stream is broken: a header runs past the end of the headers");
    }

    [Fact]
    public void An_impossible_length_is_malformed_rather_than_waited_for()
    {
        var prelude = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(prelude, 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(4), 0);
        BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), BedrockEventStreamEncoder.Crc32(prelude.AsSpan(0, 8)));
        using var reader = new AwsEventStreamReader();
        ReadOnlySpan<byte> bytes = prelude;

        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldBe("the event stream is broken: a message claims a length of 2147483647 bytes");
    }

    [Fact]
    public void Garbage_is_malformed_as_soon_as_its_prelude_is_in()
    {
        using var reader = new AwsEventStreamReader();
        ReadOnlySpan<byte> bytes = "data: {\"not\": \"an event stream\"}\n\n"u8;

        reader.TryRead(ref bytes, out _).ShouldBeFalse();

        reader.Malformed.ShouldNotBeNull();
    }

    /// <summary>A message with raw header bytes, framed with correct CRCs.</summary>
    private static byte[] Frame(byte[] headers, ReadOnlySpan<byte> payload)
    {
        var total = 12 + headers.Length + payload.Length + 4;
        var frame = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)headers.Length);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), BedrockEventStreamEncoder.Crc32(frame.AsSpan(0, 8)));
        headers.CopyTo(frame.AsSpan(12));
        payload.CopyTo(frame.AsSpan(12 + headers.Length));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(total - 4), BedrockEventStreamEncoder.Crc32(frame.AsSpan(0, total - 4)));
        return frame;
    }

    private static List<Message> ReadAll(params byte[][] reads)
    {
        using var reader = new AwsEventStreamReader();
        var messages = new List<Message>();
        foreach (var read in reads)
        {
            ReadOnlySpan<byte> bytes = read;
            while (reader.TryRead(ref bytes, out var message))
            {
                messages.Add(new Message(
                    Encoding.UTF8.GetString(message.MessageType),
                    Encoding.UTF8.GetString(message.EventType),
                    Encoding.UTF8.GetString(message.ExceptionType),
                    Encoding.UTF8.GetString(message.ContentType),
                    Encoding.UTF8.GetString(message.Payload)));
            }
            reader.Malformed.ShouldBeNull();
            bytes.IsEmpty.ShouldBeTrue();
        }
        reader.Pending.ShouldBe(0);
        return messages;
    }

    private sealed record Message(string MessageType, string EventType, string ExceptionType, string ContentType, string Payload);
}
