using System.Globalization;

namespace Switchboard.Testing;

/// <summary>
/// A failure a fake upstream injects into one request. Enqueue faults on a fake; each request consumes
/// the oldest one, and a request that finds the queue empty is answered normally.
/// </summary>
/// <remarks>
/// The fault says what goes wrong, not how it looks on the wire: each fake renders it in its own
/// provider's dialect, so one test scenario can run unchanged against every provider.
/// </remarks>
public sealed record UpstreamFault
{
    private UpstreamFault(UpstreamFaultKind kind) => Kind = kind;

    internal UpstreamFaultKind Kind { get; }

    internal int StatusCode { get; private init; }

    internal TimeSpan? RetryAfter { get; private init; }

    internal string? Body { get; private init; }

    internal TimeSpan DelayBy { get; private init; }

    internal int ChunksBeforeCut { get; private init; }

    /// <summary>
    /// Answers with <paramref name="status"/> and the provider's error body for that status
    /// (for OpenAI: 429 is a <c>rate_limit_exceeded</c> error, 401 <c>invalid_api_key</c>,
    /// 5xx <c>server_error</c>, other 4xx <c>invalid_request_error</c>).
    /// </summary>
    /// <param name="status">An HTTP error status, 400 to 599.</param>
    /// <param name="retryAfter">When given, sent as a <c>Retry-After</c> header in whole seconds, rounded up.</param>
    /// <param name="body">When given, sent verbatim as the JSON body instead of the provider's error body.</param>
    public static UpstreamFault Status(int status, TimeSpan? retryAfter = null, string? body = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        if (retryAfter is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(retryAfter));
        }

        return new UpstreamFault(UpstreamFaultKind.Status) { StatusCode = status, RetryAfter = retryAfter, Body = body };
    }

    /// <summary>
    /// Answers 400 with the provider's "prompt is longer than the context window" error
    /// (for OpenAI: code <c>context_length_exceeded</c>, param <c>messages</c>).
    /// </summary>
    public static UpstreamFault ContextLengthExceeded() =>
        new(UpstreamFaultKind.ContextLengthExceeded) { StatusCode = 400 };

    /// <summary>
    /// Waits <paramref name="delay"/> before sending response headers, then answers normally.
    /// The wait ends early, without a response, when the client aborts the request.
    /// </summary>
    /// <param name="delay">How long to wait; measured on the fake's <see cref="TimeProvider"/>.</param>
    public static UpstreamFault Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return new UpstreamFault(UpstreamFaultKind.Delay) { DelayBy = delay };
    }

    /// <summary>
    /// For a streamed request, sends the response headers and the first <paramref name="chunks"/> stream
    /// events, then aborts the connection without the stream's terminator (for OpenAI, <c>data: [DONE]</c>).
    /// For a request that is not streamed, aborts the connection before any response is sent.
    /// </summary>
    /// <param name="chunks">Stream events to send before the cut; 0 cuts right after the headers.</param>
    public static UpstreamFault CutStreamAfter(int chunks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chunks);
        return new UpstreamFault(UpstreamFaultKind.CutStream) { ChunksBeforeCut = chunks };
    }

    /// <summary>
    /// Answers 200 with a JSON content type and a body that is not valid JSON; for a streamed request,
    /// a stream whose event carries malformed JSON, followed by the stream's normal terminator.
    /// </summary>
    public static UpstreamFault InvalidJson() => new(UpstreamFaultKind.InvalidJson);

    /// <summary>Describes the fault the way it was created, for test failure messages.</summary>
    public override string ToString() => Kind switch
    {
        UpstreamFaultKind.Status => string.Create(
            CultureInfo.InvariantCulture,
            $"Status({StatusCode}{(RetryAfter is { } wait ? $", retryAfter: {wait}" : "")}{(Body is null ? "" : ", body: custom")})"),
        UpstreamFaultKind.ContextLengthExceeded => "ContextLengthExceeded()",
        UpstreamFaultKind.Delay => string.Create(CultureInfo.InvariantCulture, $"Delay({DelayBy})"),
        UpstreamFaultKind.CutStream => string.Create(CultureInfo.InvariantCulture, $"CutStreamAfter({ChunksBeforeCut})"),
        _ => "InvalidJson()",
    };
}
