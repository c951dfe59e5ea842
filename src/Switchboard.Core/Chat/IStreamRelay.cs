using System.Buffers;
using Switchboard.Usage;

namespace Switchboard.Chat;

/// <summary>
/// Copies a same-dialect stream to the client as it arrives, line by line, reading its usage and terminal event
/// on the way, and stopping before a malformed event reaches the client.
/// </summary>
internal interface IStreamRelay : IDisposable
{
    /// <summary>Forwards the whole, valid lines of <paramref name="bytes"/> to <paramref name="output"/> and keeps the rest.</summary>
    void Relay(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output);

    /// <summary>True once the dialect's terminal event has passed.</summary>
    bool Done { get; }

    /// <summary>Set when an event was malformed: the stream is broken from there on.</summary>
    string? Malformed { get; }

    /// <summary>True when the provider's own error event reached the client: it needs no second one from the gateway.</summary>
    bool ErrorForwarded { get; }

    /// <summary>Bytes forwarded to the client so far.</summary>
    long Forwarded { get; }

    TokenUsage? Usage { get; }

    /// <summary>The <c>data:</c> events relayed: about one token each, for an estimate when the provider sends no usage.</summary>
    int Events { get; }
}
