using Switchboard.Usage;

namespace Switchboard.Chat;

/// <summary>
/// Reads a provider's stream as it arrives and turns each complete event into canonical events. Bytes that end
/// mid-event are kept until the rest arrives.
/// </summary>
public interface IStreamDecoder : IDisposable
{
    /// <summary>Decodes what arrived; stops at the first malformed event (see <see cref="Malformed"/>).</summary>
    void Decode(ReadOnlySpan<byte> bytes, IStreamEventSink sink);

    /// <summary>True once the dialect's terminal event has been read; a stream that ends before it was cut short.</summary>
    bool Completed { get; }

    /// <summary>What was wrong with the event that stopped decoding, or null.</summary>
    string? Malformed { get; }

    /// <summary>The last usage the stream reported.</summary>
    TokenUsage? Usage { get; }
}
