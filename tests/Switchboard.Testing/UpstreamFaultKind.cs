namespace Switchboard.Testing;

/// <summary>What an <see cref="UpstreamFault"/> does to the request it is applied to.</summary>
internal enum UpstreamFaultKind
{
    /// <summary>Answer with an error status and the dialect's error body.</summary>
    Status,

    /// <summary>Answer with the dialect's "prompt too long" error, which gateways classify apart from other 400s.</summary>
    ContextLengthExceeded,

    /// <summary>Wait, then answer normally.</summary>
    Delay,

    /// <summary>Send some stream chunks, then drop the connection.</summary>
    CutStream,

    /// <summary>Answer 200 with a body the client cannot parse.</summary>
    InvalidJson,
}
