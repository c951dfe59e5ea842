using System.Buffers.Binary;
using System.Text;

namespace Switchboard.Testing;

/// <summary>
/// Writes messages of AWS's binary event stream (<c>application/vnd.amazon.eventstream</c>), as Bedrock's ConverseStream
/// sends them: a prelude (total length and headers length as big-endian u32, then the CRC32 of those 8 bytes), the
/// headers, the payload, and the CRC32 of everything before it. Used by <see cref="FakeBedrockUpstream"/> and by tests that
/// need frames of their own, good or deliberately broken.
/// </summary>
/// <remarks>
/// Written apart from the gateway's reader on purpose, so that a mistake in one is caught by the other and by the
/// frames AWS itself sent (see the Bedrock decoder tests).
/// </remarks>
public static class BedrockEventStreamEncoder
{
    /// <summary>The stream's media type.</summary>
    public const string ContentType = "application/vnd.amazon.eventstream";

    /// <summary>
    /// An <c>event</c> message with the headers ConverseStream sets, in its order: <c>:event-type</c>,
    /// <c>:content-type</c> <c>application/json</c>, <c>:message-type</c> <c>event</c>.
    /// </summary>
    /// <param name="eventType">The event, such as <c>contentBlockDelta</c>.</param>
    /// <param name="json">The event's JSON payload, as UTF-8.</param>
    public static byte[] Event(string eventType, ReadOnlySpan<byte> json) =>
        Encode([new(":event-type", eventType), new(":content-type", "application/json"), new(":message-type", "event")], json);

    /// <summary>
    /// An <c>exception</c> message as ConverseStream ends a failing stream with: <c>:message-type</c> <c>exception</c>,
    /// <c>:exception-type</c> (such as <c>throttlingException</c>), <c>:content-type</c> <c>application/json</c>.
    /// </summary>
    /// <param name="exceptionType">The exception's name, such as <c>modelStreamErrorException</c>.</param>
    /// <param name="json">Its payload, <c>{"message":"..."}</c>.</param>
    public static byte[] Exception(string exceptionType, ReadOnlySpan<byte> json) =>
        Encode([new(":message-type", "exception"), new(":exception-type", exceptionType), new(":content-type", "application/json")], json);

    /// <summary>
    /// One message with any headers. A header's value decides its wire type: <see cref="string"/> (7), <see cref="bool"/>
    /// (0 true, 1 false), <see cref="sbyte"/> (2), <see cref="short"/> (3), <see cref="int"/> (4), <see cref="long"/> (5),
    /// byte array (6), <see cref="DateTimeOffset"/> (8, milliseconds since the epoch) and <see cref="Guid"/> (9).
    /// </summary>
    /// <param name="headers">The headers, in the order they are written.</param>
    /// <param name="payload">The payload bytes.</param>
    /// <exception cref="ArgumentException">A header's value is of none of those types.</exception>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, object>> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        using var headerBytes = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            headerBytes.WriteByte((byte)nameBytes.Length);
            headerBytes.Write(nameBytes);
            WriteValue(headerBytes, value);
        }

        var headersLength = (int)headerBytes.Length;
        var total = 12 + headersLength + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(message, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32(message.AsSpan(0, 8)));
        headerBytes.GetBuffer().AsSpan(0, headersLength).CopyTo(message.AsSpan(12));
        payload.CopyTo(message.AsSpan(12 + headersLength));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32(message.AsSpan(0, total - 4)));
        return message;
    }

    /// <summary>CRC-32 (IEEE 802.3) as the format uses it, computed bit by bit: slow, short and independent of any table.</summary>
    /// <param name="data">The bytes to check.</param>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void WriteValue(MemoryStream output, object value)
    {
        Span<byte> buffer = stackalloc byte[16];
        switch (value)
        {
            case string text:
                var bytes = Encoding.UTF8.GetBytes(text);
                output.WriteByte(7);
                BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)bytes.Length);
                output.Write(buffer[..2]);
                output.Write(bytes);
                break;
            case bool flag:
                output.WriteByte(flag ? (byte)0 : (byte)1);
                break;
            case sbyte small:
                output.WriteByte(2);
                output.WriteByte(unchecked((byte)small));
                break;
            case short number:
                output.WriteByte(3);
                BinaryPrimitives.WriteInt16BigEndian(buffer, number);
                output.Write(buffer[..2]);
                break;
            case int number:
                output.WriteByte(4);
                BinaryPrimitives.WriteInt32BigEndian(buffer, number);
                output.Write(buffer[..4]);
                break;
            case long number:
                output.WriteByte(5);
                BinaryPrimitives.WriteInt64BigEndian(buffer, number);
                output.Write(buffer[..8]);
                break;
            case byte[] blob:
                output.WriteByte(6);
                BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)blob.Length);
                output.Write(buffer[..2]);
                output.Write(blob);
                break;
            case DateTimeOffset time:
                output.WriteByte(8);
                BinaryPrimitives.WriteInt64BigEndian(buffer, time.ToUnixTimeMilliseconds());
                output.Write(buffer[..8]);
                break;
            case Guid id:
                output.WriteByte(9);
                id.TryWriteBytes(buffer, bigEndian: true, out _);
                output.Write(buffer[..16]);
                break;
            default:
                throw new ArgumentException($"An event-stream header cannot hold a {value?.GetType().Name ?? "null"}.", nameof(value));
        }
    }
}
