namespace Switchboard.Providers;

/// <summary>
/// Speaks one provider's wire format. It sends a body already in its dialect and classifies the
/// provider's errors; it knows nothing of routing.
/// </summary>
public interface IChatAdapter
{
    WireDialect Dialect { get; }

    /// <summary>Sends the call; returns once the response headers have arrived, the body still to be read.</summary>
    Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken);

    /// <summary>Classifies an error response by its status and body, once, for retry, fallback and the client's error type.</summary>
    ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body);
}
