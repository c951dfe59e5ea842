using System.Collections.Immutable;

namespace Switchboard.Testing;

/// <summary>
/// A fake Anthropic server for integration tests: real Kestrel on <c>127.0.0.1</c> and a free port, speaking the
/// Messages API wire format from Anthropic's API reference, recording every request and injecting queued faults.
/// </summary>
/// <remarks>
/// <para><c>POST /v1/messages</c> checks that <c>model</c>, <c>max_tokens</c> and <c>messages</c> are there (answering
/// Anthropic's 400 otherwise), echoes the request's <c>model</c> and answers, in order of precedence: when the last
/// message holds <c>tool_result</c> blocks, text made by <see cref="ToolResultText(IEnumerable{string})"/> from their
/// contents; when the request has <c>tools</c>, <see cref="ToolPreamble"/> and a <c>tool_use</c> of the first tool
/// (<see cref="ToolUseId"/>, <see cref="ToolInput"/>) and, when there are two or more tools and neither
/// <c>tool_choice</c> names one nor <c>disable_parallel_tool_use</c> is set, a parallel <c>tool_use</c> of the second
/// (<see cref="SecondToolUseId"/>, <see cref="SecondToolInput"/>); otherwise <see cref="CompletionText"/>, or
/// <see cref="StreamText"/> when streamed. With <c>"thinking": {"type": "enabled"}</c> every answer begins with a
/// thinking block (<see cref="ThinkingText"/>, <see cref="ThinkingSignature"/>). <c>"stream": true</c> answers with
/// Anthropic's server-sent events, ending in <c>message_stop</c>; tool inputs arrive as <c>input_json_delta</c>
/// fragments.</para>
/// <para>Every answer carries the same usage: <see cref="InputTokens"/>, <see cref="CacheCreationInputTokens"/>,
/// <see cref="CacheReadInputTokens"/> and <see cref="OutputTokens"/> (plus <see cref="ThinkingTokens"/> with thinking).
/// A stream reports the prompt's counts in <c>message_start</c> and only <c>output_tokens</c> in <c>message_delta</c>.</para>
/// <para><c>POST /v1/messages/count_tokens</c> answers <see cref="InputTokens"/>. Any other request is Anthropic's 404
/// <c>not_found_error</c>. Status faults answer Anthropic's error body for the status: 400
/// <c>invalid_request_error</c>, 401 <c>authentication_error</c>, 402 <c>billing_error</c>, 403
/// <c>permission_error</c>, 404 <c>not_found_error</c>, 413 <c>request_too_large</c>, 429 <c>rate_limit_error</c>,
/// 504 <c>timeout_error</c>, 529 <c>overloaded_error</c>, other 5xx <c>api_error</c>; a context-length fault is
/// Anthropic's 400 "prompt is too long".</para>
/// </remarks>
public sealed class FakeAnthropicUpstream : IAsyncDisposable
{
    /// <summary>The <c>id</c> of a whole text message (the API reference's example).</summary>
    public const string MessageId = "msg_013Zva2CMHLNnXjNJJKqJ2EF";

    /// <summary>The <c>id</c> of a whole tool-use message.</summary>
    public const string ToolMessageId = "msg_01Aq9w938a90dw8q";

    /// <summary>The <c>id</c> of a streamed text message.</summary>
    public const string StreamMessageId = "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK";

    /// <summary>The <c>id</c> of a streamed tool-use message.</summary>
    public const string StreamToolMessageId = "msg_019Q1hrJbZG26Fb9BQhrkHEr";

    /// <summary>The text of a whole message.</summary>
    public const string CompletionText = "Hi! My name is Claude.";

    /// <summary>The text of a streamed message: the concatenation of <see cref="StreamTextDeltas"/>.</summary>
    public const string StreamText = "Hello there!";

    /// <summary>The text before the tool calls, whole or streamed (<see cref="ToolPreambleDeltas"/>).</summary>
    public const string ToolPreamble = "I'll check the current weather in Paris for you.";

    /// <summary>The <c>id</c> of the first tool call, streamed or not.</summary>
    public const string ToolUseId = "toolu_01A09q90qw90lq917835lq9";

    /// <summary>The <c>id</c> of the second, parallel, tool call.</summary>
    public const string SecondToolUseId = "toolu_01T1x1fJ34qAmk2tNTrN7Up6";

    /// <summary>The name called when a tool has none.</summary>
    public const string DefaultToolName = "get_weather";

    /// <summary>The first call's <c>input</c> exactly as written: the concatenation of <see cref="ToolInputDeltas"/>.</summary>
    public const string ToolInput = "{\"location\": \"Paris\"}";

    /// <summary>The second call's <c>input</c> exactly as written: the concatenation of <see cref="SecondToolInputDeltas"/>.</summary>
    public const string SecondToolInput = "{\"timezone\": \"Europe/Paris\"}";

    /// <summary>What the answer to tool results starts with; their contents follow, joined by <c>"; "</c>.</summary>
    public const string ToolResultTextPrefix = "The tool returned: ";

    /// <summary>The text of the thinking block: the concatenation of <see cref="ThinkingDeltas"/>.</summary>
    public const string ThinkingText = "The user wants a greeting. I will greet them.";

    /// <summary>The thinking block's signature, sent whole in one <c>signature_delta</c> when streamed.</summary>
    public const string ThinkingSignature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds7VgX1AmT1fQtiZ6wVs1AGMgg5MR5jqFz8sfAg==";

    /// <summary><c>usage.input_tokens</c>: the prompt tokens neither read from nor written to the cache.</summary>
    public const int InputTokens = 25;

    /// <summary><c>usage.cache_creation_input_tokens</c>.</summary>
    public const int CacheCreationInputTokens = 30;

    /// <summary><c>usage.cache_read_input_tokens</c>.</summary>
    public const int CacheReadInputTokens = 100;

    /// <summary>The whole prompt: input, cache writes and cache reads.</summary>
    public const int PromptTokens = InputTokens + CacheCreationInputTokens + CacheReadInputTokens;

    /// <summary><c>usage.output_tokens</c> of a finished message.</summary>
    public const int OutputTokens = 15;

    /// <summary><c>usage.output_tokens_details.thinking_tokens</c> of a message with thinking.</summary>
    public const int ThinkingTokens = 6;

    /// <summary>The message of the 529 <c>overloaded_error</c>, as a status or as a stream's <c>error</c> event.</summary>
    public const string OverloadedMessage = "Overloaded";

    /// <summary>The message of the 429 <c>rate_limit_error</c>.</summary>
    public const string RateLimitMessage = "Number of request tokens has exceeded your per-minute rate limit (https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.";

    /// <summary>The message of the context-length fault.</summary>
    public const string ContextWindowMessage = "prompt is too long: 208310 tokens > 200000 maximum";

    /// <summary>The <c>request_id</c> of every error body.</summary>
    public const string RequestId = "req_011CSHoEeqs5C35K2UUqR7Fy";

    private readonly FakeUpstreamHost _host;
    private readonly AnthropicDialect _dialect;

    private FakeAnthropicUpstream(FakeUpstreamHost host, AnthropicDialect dialect)
    {
        _host = host;
        _dialect = dialect;
        BaseUrl = new Uri(host.Origin.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>The <c>delta.text</c> of each <c>text_delta</c> of a streamed text message, in order (anthropic-sdk-python's recorded stream).</summary>
    public static ImmutableArray<string> StreamTextDeltas { get; } = ["Hello", " there", "!"];

    /// <summary>The <c>delta.text</c> of each <c>text_delta</c> before a streamed tool call.</summary>
    public static ImmutableArray<string> ToolPreambleDeltas { get; } = ["I", "'ll check the current weather in Paris for you."];

    /// <summary>The <c>partial_json</c> of each <c>input_json_delta</c> of the first streamed call, in order; the first is empty, as Anthropic sends it.</summary>
    public static ImmutableArray<string> ToolInputDeltas { get; } = ["", "{\"locati", "on\": \"P", "ar", "is\"}"];

    /// <summary>The <c>partial_json</c> of each <c>input_json_delta</c> of the second streamed call.</summary>
    public static ImmutableArray<string> SecondToolInputDeltas { get; } = ["", "{\"timezone\": ", "\"Europe/Paris\"}"];

    /// <summary>The <c>delta.thinking</c> of each <c>thinking_delta</c>.</summary>
    public static ImmutableArray<string> ThinkingDeltas { get; } = ["The user wants a greeting.", " I will greet them."];

    /// <summary>The base URL to configure as the Anthropic provider's: the origin, e.g. <c>http://127.0.0.1:49152/</c>, without <c>/v1</c> (the adapter adds <c>/v1/messages</c>).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A snapshot of every request received so far, in arrival order; safe to read while requests are in flight.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _host.Requests;

    /// <summary>The text answering tool results whose contents are <paramref name="results"/>.</summary>
    public static string ToolResultText(IEnumerable<string> results) => ToolResultTextPrefix + string.Join("; ", results);

    /// <summary>The text answering one tool result whose content is <paramref name="result"/>.</summary>
    public static string ToolResultText(string result) => ToolResultTextPrefix + result;

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on the system clock.</summary>
    public static Task<FakeAnthropicUpstream> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeAnthropicUpstream> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var dialect = new AnthropicDialect();
        var host = await FakeUpstreamHost.StartAsync(dialect, timeProvider, cancellationToken).ConfigureAwait(false);
        return new FakeAnthropicUpstream(host, dialect);
    }

    /// <summary>
    /// Queues <paramref name="fault"/> for a later request. Each request, whatever its path, takes the oldest
    /// queued fault; with none queued it is answered normally.
    /// </summary>
    public void Enqueue(UpstreamFault fault) => _host.Enqueue(fault);

    /// <summary>
    /// Makes the next streamed answer fail part way, as Anthropic does when it is overloaded mid-answer:
    /// <c>message_start</c>, a text block with the first of <see cref="StreamTextDeltas"/>, then an <c>error</c> event
    /// (<c>overloaded_error</c>, <see cref="OverloadedMessage"/>) and no <c>message_stop</c>.
    /// </summary>
    public void FailNextStream() => _dialect.FailNextStream();

    /// <summary>
    /// Makes the next streamed response send its first event (<c>message_start</c>) and then wait until the returned
    /// gate is released before sending the rest. Several calls hold several successive streams.
    /// </summary>
    public StreamGate HoldStream() => _host.HoldStream();

    /// <summary>Releases held streams, ends in-flight requests and stops the server.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
