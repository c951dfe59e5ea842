namespace Switchboard.Testing;

/// <summary>
/// What a dialect wants sent back, before <see cref="FakeUpstreamHost"/> applies faults and stream gates.
/// Dialects return it as data rather than writing to the response so that cutting, holding and garbling
/// a stream is done once, in the host, for every provider.
/// </summary>
internal abstract record UpstreamResponse
{
    private UpstreamResponse()
    {
    }

    /// <summary>A whole response sent at once.</summary>
    /// <param name="StatusCode">The HTTP status.</param>
    /// <param name="ContentType">The body's media type.</param>
    /// <param name="Body">The whole body.</param>
    /// <param name="Headers">Response headers besides the content type, such as AWS's <c>x-amzn-ErrorType</c>; none when null.</param>
    public sealed record Buffered(int StatusCode, string ContentType, ReadOnlyMemory<byte> Body, IReadOnlyList<KeyValuePair<string, string>>? Headers = null) : UpstreamResponse;

    /// <summary>
    /// A 200 response sent one chunk at a time, each flushed as it is written.
    /// </summary>
    /// <param name="ContentType">The stream's media type, e.g. <c>text/event-stream</c>.</param>
    /// <param name="Chunks">Each chunk already framed for the wire (an SSE event, an event-stream message, ...).</param>
    /// <param name="Trailer">The end-of-stream marker (OpenAI's <c>data: [DONE]</c>), empty where the dialect has none; a cut stream never sends it.</param>
    public sealed record Streamed(string ContentType, IReadOnlyList<ReadOnlyMemory<byte>> Chunks, ReadOnlyMemory<byte> Trailer) : UpstreamResponse;
}
