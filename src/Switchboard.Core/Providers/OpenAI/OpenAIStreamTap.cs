using System.Buffers;
using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Watches an OpenAI server-sent event stream as it is copied to the client: reads the usage from the
/// final chunk, notices <c>data: [DONE]</c>, and notices a chunk that is not JSON. It sees each byte once
/// and parses each chunk once; a line split across reads is kept until its end arrives.
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

    /// <summary>True once any <c>data:</c> event has passed, i.e. the client has seen content.</summary>
    public bool SawData { get; private set; }

    public void Observe(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty && Malformed is null)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline < 0)
            {
                Keep(bytes);
                return;
            }
            if (_partialLength > 0)
            {
                Keep(bytes[..newline]);
                OnLine(_partial.AsSpan(0, _partialLength));
                _partialLength = 0;
            }
            else
            {
                OnLine(bytes[..newline]);
            }
            bytes = bytes[(newline + 1)..];
        }
    }

    public void Dispose()
    {
        if (_partial.Length > 0) ArrayPool<byte>.Shared.Return(_partial);
        _partial = [];
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        if (!line.StartsWith("data:"u8)) return;
        var payload = line[5..].TrimStart((byte)' ');
        SawData = true;
        if (payload.SequenceEqual("[DONE]"u8))
        {
            Done = true;
            return;
        }
        try
        {
            if (OpenAIUsageReader.Read(payload) is { } usage) Usage = usage;
        }
        catch (JsonException)
        {
            Malformed = "the provider sent a stream event that is not valid JSON";
        }
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
