using System.Buffers;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Relays an OpenAI server-sent event stream to the client line by line as it arrives, reading the usage from
/// the final chunk and noticing <c>data: [DONE]</c> on the way. Only whole lines are forwarded, and a chunk that
/// is not JSON stops the relay before it reaches the client: nothing after a broken event, not even
/// <c>[DONE]</c>, makes the client think the answer is whole. Each chunk is parsed once.
/// </summary>
/// <param name="forwardUsageChunk">
/// Whether the client asked for the final usage chunk (<c>stream_options.include_usage</c>); when it did not, the
/// gateway asked for it only for its own accounting, and the chunk is read but not forwarded.
/// </param>
internal sealed class OpenAIStreamTap(bool forwardUsageChunk = true) : IStreamRelay
{
    private readonly LineSplitter _lines = new();

    public TokenUsage? Usage { get; private set; }

    public bool Done { get; private set; }

    public string? Malformed { get; private set; }

    public long Forwarded { get; private set; }

    /// <summary>Always false: an OpenAI error chunk is JSON like any other and is relayed as one.</summary>
    public bool ErrorForwarded => false;

    public void Relay(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        while (Malformed is null && _lines.TryRead(ref bytes, out var line))
        {
            if (!Accept(line, out var hide)) return;
            if (hide) continue;
            output.Write(line);
            Forwarded += line.Length;
        }
    }

    public int Events { get; private set; }

    public void Dispose() => _lines.Dispose();

    /// <summary>Reads one line; false when it is a broken event that must not be forwarded, <paramref name="hide"/> for the usage chunk the client did not ask for.</summary>
    private bool Accept(ReadOnlySpan<byte> line, out bool hide)
    {
        hide = false;
        line = line.TrimEnd("\r\n"u8);
        if (!line.StartsWith("data:"u8)) return true;
        Events++;
        var payload = line[5..].TrimStart((byte)' ');
        if (payload.SequenceEqual("[DONE]"u8))
        {
            Done = true;
            return true;
        }
        try
        {
            if (OpenAIUsageReader.Read(payload) is { } usage)
            {
                Usage = usage;
                hide = !forwardUsageChunk && payload.IndexOf("\"choices\":[]"u8) >= 0;
            }
            return true;
        }
        catch (JsonException)
        {
            Malformed = "the provider sent a stream event that is not valid JSON";
            return false;
        }
    }
}
