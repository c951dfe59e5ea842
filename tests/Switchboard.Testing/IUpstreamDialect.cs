namespace Switchboard.Testing;

/// <summary>
/// One provider's wire format, plugged into <see cref="FakeUpstreamHost"/>. Implementations are pure:
/// they turn a recorded request into a response and know nothing about Kestrel, faults or timing.
/// </summary>
internal interface IUpstreamDialect
{
    /// <summary>The normal answer to <paramref name="request"/>, including the dialect's own 4xx for bad input or unknown paths.</summary>
    UpstreamResponse Respond(RecordedRequest request);

    /// <summary>The JSON error body for a <see cref="UpstreamFaultKind.Status"/> or <see cref="UpstreamFaultKind.ContextLengthExceeded"/> fault.</summary>
    ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request);

    /// <summary>
    /// Headers sent with the error body of a <see cref="UpstreamFaultKind.Status"/> or <see cref="UpstreamFaultKind.ContextLengthExceeded"/>
    /// fault, for providers that name the error outside the body (AWS's <c>x-amzn-ErrorType</c>); none by default.
    /// </summary>
    IReadOnlyList<KeyValuePair<string, string>> ErrorHeaders(UpstreamFault fault, RecordedRequest request) => [];

    /// <summary>A body sent with a JSON content type that does not parse.</summary>
    ReadOnlyMemory<byte> InvalidJsonBody { get; }

    /// <summary>One stream chunk, framed for the wire, whose payload does not parse.</summary>
    ReadOnlyMemory<byte> InvalidStreamChunk { get; }
}
