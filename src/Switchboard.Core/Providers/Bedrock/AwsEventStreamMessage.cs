namespace Switchboard.Providers.Bedrock;

/// <summary>
/// One message of AWS's binary event stream (<c>application/vnd.amazon.eventstream</c>), its CRCs checked: the
/// string headers the Bedrock runtime sets and the payload. Every span points into the reader's or the caller's
/// buffer and is valid only until the reader is asked for the next message.
/// </summary>
internal readonly ref struct AwsEventStreamMessage
{
    /// <summary><c>:message-type</c>: <c>event</c>, <c>exception</c> (a modelled error such as <c>throttlingException</c>) or <c>error</c>.</summary>
    public ReadOnlySpan<byte> MessageType { get; init; }

    /// <summary><c>:event-type</c> of an event: <c>messageStart</c>, <c>contentBlockDelta</c>, <c>metadata</c>, ...</summary>
    public ReadOnlySpan<byte> EventType { get; init; }

    /// <summary><c>:exception-type</c> of an exception message, such as <c>modelStreamErrorException</c>.</summary>
    public ReadOnlySpan<byte> ExceptionType { get; init; }

    /// <summary><c>:content-type</c> of the payload, <c>application/json</c> for Bedrock.</summary>
    public ReadOnlySpan<byte> ContentType { get; init; }

    /// <summary><c>:error-code</c> of an <c>error</c> message.</summary>
    public ReadOnlySpan<byte> ErrorCode { get; init; }

    /// <summary><c>:error-message</c> of an <c>error</c> message.</summary>
    public ReadOnlySpan<byte> ErrorMessage { get; init; }

    public ReadOnlySpan<byte> Payload { get; init; }
}
