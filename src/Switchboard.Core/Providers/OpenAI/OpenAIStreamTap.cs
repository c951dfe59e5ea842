using System.Buffers;
using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Relays an OpenAI server-sent event stream to the client line by line as it arrives, reading the usage from
/// the final chunk and noticing <c>data: [DONE]</c> on the way. Only whole lines are forwarded, so a line
/// split across reads waits for its end, and a chunk that is not JSON stops the relay before it reaches the
/// client: nothing after a broken event, not even <c>[DONE]</c>, makes the client think the answer is whole.
/// Each byte is looked at once and each chunk parsed once.
/// </summary>
internal sealed class OpenAIStreamTap : IDisposable
{
    private byte[] _partial = [];
    private int _partialLength;

    public TokenUsage? Usage { get; private set; }

    /// <summary>True once <c>data: [DONE]</c> has passed.</summary>
    public bool Done { get; private set; }

    /// <summary>Set when a chunk was not valid JSON: the stream is broken from there on.</summary>
    public string? Malformed { get; private set; }

    /// <summary>Bytes forwarded to the client so far.</summary>
    public long Forwarded { get; private set; }

    /// <summary>Forwards the whole, valid lines of <paramref name="bytes"/> to <paramref name="output"/> and keeps the rest.</summary>
    public void Relay(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (_partialLength > 0)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Keep(bytes);
                return;
            }
            Keep(bytes[..(newline + 1)]);
            var line = _partial.AsSpan(0, _partialLength);
            _partialLength = 0;
            if (!Accept(line)) return;
            Forward(line, output);
            bytes = bytes[(newline + 1)..];
        }

        // The whole lines of one read are contiguous: check them one by one, forward them in one write.
        var good = 0;
        while (good < bytes.Length)
        {
            var newline = bytes[good..].IndexOf((byte)'\n');
            if (newline < 0) break;
            var end = good + newline + 1;
            if (!Accept(bytes[good..end])) break;
            good = end;
        }
        Forward(bytes[..good], output);
        if (Malformed is null && good < bytes.Length) Keep(bytes[good..]);
    }

    public void Dispose()
    {
        if (_partial.Length > 0) ArrayPool<byte>.Shared.Return(_partial);
        _partial = [];
    }

    /// <summary>Reads one line (newline included); false when it is a broken event that must not be forwarded.</summary>
    private bool Accept(ReadOnlySpan<byte> line)
    {
        line = line.TrimEnd("\r\n"u8);
        if (!line.StartsWith("data:"u8)) return true;
        var payload = line[5..].TrimStart((byte)' ');
        if (payload.SequenceEqual("[DONE]"u8))
        {
            Done = true;
            return true;
        }
        try
        {
            if (OpenAIUsageReader.Read(payload) is { } usage) Usage = usage;
            return true;
        }
        catch (JsonException)
        {
            Malformed = "the provider sent a stream event that is not valid JSON";
            return false;
        }
    }

    private void Forward(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (bytes.IsEmpty) return;
        output.Write(bytes);
        Forwarded += bytes.Length;
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        var needed = _partialLength + bytes.Length;
        if (needed > _partial.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            _partial.AsSpan(0, _partialLength).CopyTo(larger);
            if (_partial.Length > 0) ArrayPool<byte>.Shared.Return(_partial);
            _partial = larger;
        }
        bytes.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength = needed;
    }
}
