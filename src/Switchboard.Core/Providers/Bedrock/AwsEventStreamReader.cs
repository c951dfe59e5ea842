using Switchboard.Chat;
using System.Buffers.Binary;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Splits AWS's binary event stream into messages as reads arrive. Each message is a 12-byte prelude (total length
/// and headers length, big-endian u32, then the CRC32 of those 8 bytes), the headers, the payload and the CRC32 of
/// everything before it. A message that lies whole in the current read is returned as a slice of it; one split
/// across reads, at any byte, is kept and returned once its last byte comes. A bad CRC, an impossible length or a
/// header that does not parse stops the reader (see <see cref="Malformed"/>): after a broken frame nothing that
/// follows can be trusted to start on a frame boundary.
/// </summary>
internal sealed class AwsEventStreamReader : IDisposable
{
    private const int PreludeLength = 12;
    private const int CrcLength = 4;
    private const int MinMessageLength = PreludeLength + CrcLength;

    // The format's own limits: a message of at most 16 MiB, headers of at most 128 KiB. Anything larger is garbage,
    // and trusting its length would have the reader wait for (and buffer) bytes that never come.
    private const int MaxMessageLength = 16 * 1024 * 1024;
    private const int MaxHeadersLength = 128 * 1024;

    private readonly CarryBuffer _carry = new();

    /// <summary>What was wrong with the frame that stopped reading, or null.</summary>
    public string? Malformed { get; private set; }

    /// <summary>Bytes of an unfinished message still held.</summary>
    public int Pending => _carry.Length;

    /// <summary>
    /// The next whole message of the stream, advancing <paramref name="bytes"/> past what was used; false once more
    /// bytes are needed or the stream is malformed. The message is valid until the next call.
    /// </summary>
    public bool TryRead(ref ReadOnlySpan<byte> bytes, out AwsEventStreamMessage message)
    {
        message = default;
        if (Malformed is not null) return false;
        _carry.Begin();

        if (_carry.Length == 0 && bytes.Length >= PreludeLength)
        {
            if (!TryReadPrelude(bytes, out var length)) return false;
            if (bytes.Length >= length)
            {
                var frame = bytes[..length];
                bytes = bytes[length..];
                return TryParse(frame, out message);
            }
        }

        // The prelude first, alone: its CRC tells garbage from a frame before the reader commits to waiting for its length.
        if (_carry.Length < PreludeLength)
        {
            var take = Math.Min(PreludeLength - _carry.Length, bytes.Length);
            _carry.Append(bytes[..take]);
            bytes = bytes[take..];
            if (_carry.Length < PreludeLength) return false;
        }
        if (!TryReadPrelude(_carry.Held[..PreludeLength], out var total)) return false;
        var rest = Math.Min(total - _carry.Length, bytes.Length);
        _carry.Append(bytes[..rest]);
        bytes = bytes[rest..];
        if (_carry.Length < total) return false;
        return TryParse(_carry.HandOut(total), out message);
    }

    public void Dispose() => _carry.Dispose();

    private bool TryReadPrelude(ReadOnlySpan<byte> prelude, out int length)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        length = (int)Math.Min(total, int.MaxValue);
        if (Crc32.Compute(prelude[..8]) != BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]))
            return Fail("the prelude's CRC does not match");
        if (total < MinMessageLength || total > MaxMessageLength)
            return Fail($"a message claims a length of {total} bytes");
        if (headers > MaxHeadersLength || headers > total - MinMessageLength)
            return Fail($"a message of {total} bytes claims {headers} bytes of headers");
        return true;
    }

    private bool TryParse(ReadOnlySpan<byte> frame, out AwsEventStreamMessage message)
    {
        message = default;
        var body = frame[..^CrcLength];
        if (Crc32.Compute(body) != BinaryPrimitives.ReadUInt32BigEndian(frame[^CrcLength..]))
            return Fail("the message's CRC does not match");

        var headersLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        var headers = body.Slice(PreludeLength, headersLength);
        ReadOnlySpan<byte> messageType = default, eventType = default, exceptionType = default, contentType = default, errorCode = default, errorMessage = default;
        while (!headers.IsEmpty)
        {
            var nameLength = headers[0];
            if (nameLength == 0 || headers.Length < 1 + nameLength + 1) return Fail("a header runs past the end of the headers");
            var name = headers.Slice(1, nameLength);
            var type = headers[1 + nameLength];
            headers = headers[(2 + nameLength)..];
            if (!TryMeasureValue(type, headers, out var start, out var length)) return false;
            var value = headers.Slice(start, length);
            headers = headers[(start + length)..];
            if (type != 7) continue;
            if (name.SequenceEqual(":message-type"u8)) messageType = value;
            else if (name.SequenceEqual(":event-type"u8)) eventType = value;
            else if (name.SequenceEqual(":exception-type"u8)) exceptionType = value;
            else if (name.SequenceEqual(":content-type"u8)) contentType = value;
            else if (name.SequenceEqual(":error-code"u8)) errorCode = value;
            else if (name.SequenceEqual(":error-message"u8)) errorMessage = value;
        }

        message = new AwsEventStreamMessage
        {
            MessageType = messageType,
            EventType = eventType,
            ExceptionType = exceptionType,
            ContentType = contentType,
            ErrorCode = errorCode,
            ErrorMessage = errorMessage,
            Payload = body[(PreludeLength + headersLength)..],
        };
        return true;
    }

    /// <summary>Where one header value of the given type lies in <paramref name="headers"/>: the bytes of a string or byte array after its u16 length, the whole fixed-size value otherwise.</summary>
    private bool TryMeasureValue(byte type, ReadOnlySpan<byte> headers, out int start, out int length)
    {
        start = 0;
        switch (type)
        {
            case 0 or 1: // boolean true, boolean false: the type is the value
                length = 0;
                return true;
            case 2: length = 1; break; // byte
            case 3: length = 2; break; // short
            case 4: length = 4; break; // integer
            case 5 or 8: length = 8; break; // long, timestamp (milliseconds since the epoch)
            case 9: length = 16; break; // uuid
            case 6 or 7: // byte array, string: a u16 length, then the bytes
                if (headers.Length < 2)
                {
                    length = 0;
                    return Fail("a header runs past the end of the headers");
                }
                start = 2;
                length = BinaryPrimitives.ReadUInt16BigEndian(headers);
                break;
            default:
                length = 0;
                return Fail($"a header has the unknown value type {type}");
        }
        return headers.Length >= start + length || Fail("a header runs past the end of the headers");
    }

    private bool Fail(string what)
    {
        Malformed = "the event stream is broken: " + what;
        return false;
    }
}
