using System.Collections.Immutable;

namespace Switchboard.Testing;

/// <summary>
/// A fake AWS Bedrock runtime for integration tests: real Kestrel on <c>127.0.0.1</c> and a free port, speaking the
/// Converse and ConverseStream wire formats from AWS's API reference, checking every request's Signature Version 4 against
/// <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/>, recording every request and injecting queued faults.
/// </summary>
/// <remarks>
/// <para><c>POST /model/{modelId}/converse</c> answers JSON; <c>POST /model/{modelId}/converse-stream</c> answers the same
/// content as AWS's binary event stream (<c>messageStart</c>, <c>contentBlockStart</c>/<c>contentBlockDelta</c>/<c>contentBlockStop</c>,
/// <c>messageStop</c>, then <c>metadata</c> with the usage), each frame with correct CRCs and Bedrock's <c>"p"</c> padding.</para>
/// <para>In order of precedence it answers: when the last message is a user turn holding <c>toolResult</c> blocks, text made by
/// <see cref="ToolResultText"/> from their texts (joined by newlines); when the request has <c>toolConfig.tools</c>,
/// <see cref="ToolCallPreamble"/> and one <c>toolUse</c> for each tool (only the one <c>toolChoice.tool</c> names, when it
/// names one), each with <see cref="ToolUseId"/> and <see cref="ToolInput"/>; otherwise <see cref="CompletionText"/>, or
/// <see cref="StreamTextDeltas"/> when streamed.</para>
/// <para>Like Bedrock, it refuses with 403 and an <c>x-amzn-ErrorType</c> header a request whose signature is missing
/// (<c>MissingAuthenticationTokenException</c>), names another key (<c>UnrecognizedClientException</c>) or does not match
/// (<c>InvalidSignatureException</c>), and with 400 <c>ValidationException</c> a conversation that does not alternate roles or
/// start with the user, a blank text block, tool blocks without a <c>toolConfig</c>, an image that is not inline base64
/// png/jpeg/gif/webp, or an unknown top-level field. Another path is a 404 <c>UnknownOperationException</c>.</para>
/// <para>Every answer reports the same usage: <see cref="InputTokens"/>, <see cref="CacheReadInputTokens"/>,
/// <see cref="CacheWriteInputTokens"/>, <see cref="OutputTokens"/> and <see cref="TotalTokens"/>.</para>
/// </remarks>
public sealed class FakeBedrockUpstream : IAsyncDisposable
{
    /// <summary>The access key id the fake accepts (AWS's documentation example key).</summary>
    public const string AccessKeyId = "AKIAIOSFODNN7EXAMPLE";

    /// <summary>The secret access key signatures must be made with (AWS's documentation example secret).</summary>
    public const string SecretAccessKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    /// <summary>The session token the fake accepts in <c>x-amz-security-token</c>; a request may also come without one.</summary>
    public const string SessionToken = "FwoGZXIvYXdzEBYaDEXAMPLETOKENtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI";

    /// <summary>The region signatures must be scoped to.</summary>
    public const string Region = "us-east-1";

    /// <summary>The service signatures must be scoped to.</summary>
    public const string Service = "bedrock";

    /// <summary>A model id as Bedrock names them, with the <c>:</c> that must be percent-encoded in the path.</summary>
    public const string ModelId = "anthropic.claude-3-5-sonnet-20240620-v1:0";

    /// <summary>The assistant text of a whole text answer.</summary>
    public const string CompletionText = "Hello! I'm an AI assistant running on Amazon Bedrock. How can I help you today?";

    /// <summary>The assistant text of a streamed answer: the concatenation of <see cref="StreamTextDeltas"/>.</summary>
    public const string StreamText = "Hello! How can I help you today?";

    /// <summary>The text block before the tool uses of a tool-calling answer, as Claude on Bedrock writes one.</summary>
    public const string ToolCallPreamble = "I'll look that up for you.";

    /// <summary>The <c>input</c> of every tool use of a whole answer, as compact JSON (the API reference's <c>top_song</c> example).</summary>
    public const string ToolInput = """{"sign":"WZPZ"}""";

    /// <summary>The input of every tool use of a streamed answer: the concatenation of <see cref="ToolInputDeltas"/>.</summary>
    public const string StreamToolInput = """{"sign": "WZPZ"}""";

    /// <summary>What the answer to tool results starts with; the results' texts follow.</summary>
    public const string ToolResultTextPrefix = "The tool returned: ";

    /// <summary><c>usage.inputTokens</c>: the prompt neither read from nor written to the cache.</summary>
    public const int InputTokens = 12;

    /// <summary><c>usage.cacheReadInputTokens</c>.</summary>
    public const int CacheReadInputTokens = 4;

    /// <summary><c>usage.cacheWriteInputTokens</c>.</summary>
    public const int CacheWriteInputTokens = 2;

    /// <summary><c>usage.outputTokens</c>.</summary>
    public const int OutputTokens = 10;

    /// <summary><c>usage.totalTokens</c>: all input, cached or not, and the output.</summary>
    public const int TotalTokens = InputTokens + CacheReadInputTokens + CacheWriteInputTokens + OutputTokens;

    /// <summary>The whole prompt, as a gateway should report it: <see cref="InputTokens"/> with both cache counts.</summary>
    public const int WholePromptTokens = InputTokens + CacheReadInputTokens + CacheWriteInputTokens;

    /// <summary><c>metrics.latencyMs</c>.</summary>
    public const int LatencyMs = 802;

    private readonly FakeUpstreamHost _host;
    private readonly BedrockDialect _dialect;

    private FakeBedrockUpstream(FakeUpstreamHost host, BedrockDialect dialect)
    {
        _host = host;
        _dialect = dialect;
        BaseUrl = new Uri(host.Origin.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>The <c>delta.text</c> of each text event of a streamed text answer, in order.</summary>
    public static ImmutableArray<string> StreamTextDeltas { get; } = ["Hello", "! How", " can I", " help you", " today?"];

    /// <summary>The <c>delta.toolUse.input</c> fragment of each event of a streamed tool use, in order.</summary>
    public static ImmutableArray<string> ToolInputDeltas { get; } = ["{\"sign\": ", "\"WZ", "PZ\"}"];

    /// <summary>The variables a Bedrock provider needs to call the fake: the key id, the secret and the region.</summary>
    public static ImmutableDictionary<string, string> Environment { get; } = ImmutableDictionary.CreateRange(
    [
        new KeyValuePair<string, string>("AWS_ACCESS_KEY_ID", AccessKeyId),
        new KeyValuePair<string, string>("AWS_SECRET_ACCESS_KEY", SecretAccessKey),
        new KeyValuePair<string, string>("AWS_REGION", Region),
    ]);

    /// <summary>The base URL to configure as the Bedrock provider's, e.g. <c>http://127.0.0.1:49152</c> (no path).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A snapshot of every request received so far, in arrival order; safe to read while requests are in flight.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _host.Requests;

    /// <summary>The <c>toolUseId</c> of the tool use at <paramref name="index"/> in an answer (the first two from AWS's examples).</summary>
    /// <param name="index">The tool use's position among the answer's tool uses, from 0.</param>
    public static string ToolUseId(int index) => index switch
    {
        0 => "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
        1 => "tooluse_hr5juciYZJwUHpRczsw13R",
        _ => $"tooluse_{index}",
    };

    /// <summary>The assistant text answering tool results whose texts, joined by newlines, are <paramref name="results"/>.</summary>
    /// <param name="results">The tool results' texts.</param>
    public static string ToolResultText(string results) => ToolResultTextPrefix + results;

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on the system clock.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static Task<FakeBedrockUpstream> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock delays are measured on.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeBedrockUpstream> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var dialect = new BedrockDialect();
        var host = await FakeUpstreamHost.StartAsync(dialect, timeProvider, cancellationToken).ConfigureAwait(false);
        return new FakeBedrockUpstream(host, dialect);
    }

    /// <summary>
    /// Queues <paramref name="fault"/> for a later request. Each request, whatever its path, takes the oldest queued fault;
    /// with none queued it is answered normally. Error faults carry Bedrock's error type in <c>x-amzn-ErrorType</c>
    /// (400 <c>ValidationException</c>, 403 <c>AccessDeniedException</c>, 404 <c>ResourceNotFoundException</c>, 408
    /// <c>ModelTimeoutException</c>, 424 <c>ModelErrorException</c>, 429 <c>ThrottlingException</c>, 503
    /// <c>ServiceUnavailableException</c>, other 5xx <c>InternalServerException</c>; a context-length fault is a 400
    /// <c>ValidationException</c> saying "Input is too long for requested model.") and its message as <c>{"message": ...}</c>.
    /// </summary>
    /// <param name="fault">The fault to inject.</param>
    public void Enqueue(UpstreamFault fault) => _host.Enqueue(fault);

    /// <summary>
    /// Makes the next streamed answer send its first <paramref name="eventsBefore"/> events and then end with an exception
    /// message (<c>:message-type</c> <c>exception</c>), as ConverseStream reports a failure after the answer has begun.
    /// </summary>
    /// <param name="exceptionType">The <c>:exception-type</c>, such as <c>throttlingException</c> or <c>modelStreamErrorException</c>.</param>
    /// <param name="message">The exception's message.</param>
    /// <param name="eventsBefore">Events sent before the exception.</param>
    public void EnqueueStreamException(string exceptionType, string message, int eventsBefore = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eventsBefore);
        _dialect.EnqueueStreamException(exceptionType, message, eventsBefore);
    }

    /// <summary>
    /// Makes the next streamed answer send its first event and then wait until the returned gate is released before
    /// sending the rest. Several calls hold several successive streams.
    /// </summary>
    public StreamGate HoldStream() => _host.HoldStream();

    /// <summary>Releases held streams, ends in-flight requests and stops the server.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
