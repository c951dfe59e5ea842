using System.Collections.Immutable;

namespace Switchboard.Testing;

/// <summary>
/// A fake OpenAI server for integration tests: real Kestrel on <c>127.0.0.1</c> and a free port, speaking
/// the Chat Completions wire format from OpenAI's API reference, recording every request and injecting
/// queued faults.
/// </summary>
/// <remarks>
/// <para><c>POST /v1/chat/completions</c> echoes the request's <c>model</c> and answers, in order of precedence:
/// when the last message has role <c>tool</c>, text made by <see cref="ToolResultText"/>; when the request has
/// <c>tools</c>, one call to the first tool (<see cref="ToolCallId"/>, <see cref="ToolArguments"/>); otherwise
/// <see cref="CompletionText"/>, or <see cref="StreamText"/> when streamed. <c>"stream": true</c> answers with
/// server-sent events ending in <c>data: [DONE]</c>; <c>"stream_options": {"include_usage": true}</c> adds
/// <c>"usage": null</c> to every chunk and a last chunk with empty <c>choices</c> and the usage.</para>
/// <para><c>GET /v1/models</c> lists <see cref="ModelIds"/>. Any other request is a 404 OpenAI error.</para>
/// <para>Every response carries the same usage: <see cref="PromptTokens"/>, <see cref="CompletionTokens"/>,
/// <see cref="TotalTokens"/>, <see cref="CachedTokens"/> and <see cref="ReasoningTokens"/>.</para>
/// </remarks>
public sealed class FakeOpenAIUpstream : IAsyncDisposable
{
    /// <summary>The <c>id</c> of a non-streamed text completion.</summary>
    public const string CompletionId = "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT";

    /// <summary>The <c>created</c> of a non-streamed text completion.</summary>
    public const long CompletionCreated = 1741569952;

    /// <summary>The <c>id</c> of a non-streamed tool-call completion.</summary>
    public const string ToolCallCompletionId = "chatcmpl-abc123";

    /// <summary>The <c>created</c> of a non-streamed tool-call completion.</summary>
    public const long ToolCallCreated = 1699896916;

    /// <summary>The <c>id</c> shared by every chunk of a streamed completion.</summary>
    public const string StreamCompletionId = "chatcmpl-123";

    /// <summary>The <c>created</c> shared by every chunk of a streamed completion.</summary>
    public const long StreamCreated = 1694268190;

    /// <summary>The <c>system_fingerprint</c> on every completion and chunk.</summary>
    public const string SystemFingerprint = "fp_44709d6fcb";

    /// <summary>The assistant text of a non-streamed completion.</summary>
    public const string CompletionText = "Hello there, how may I assist you today?";

    /// <summary>The assistant text of a streamed completion: the concatenation of <see cref="StreamTextDeltas"/>.</summary>
    public const string StreamText = "Hello! How can I assist you today?";

    /// <summary>The <c>id</c> of the tool call, streamed or not.</summary>
    public const string ToolCallId = "call_abc123";

    /// <summary>The function name called when the request's first tool has none (e.g. a custom tool).</summary>
    public const string DefaultToolName = "get_current_weather";

    /// <summary>The tool call's <c>arguments</c>: the concatenation of <see cref="ToolArgumentDeltas"/>.</summary>
    public const string ToolArguments = """{"location":"Boston, MA"}""";

    /// <summary>What the answer to a tool result starts with; the tool message's content follows.</summary>
    public const string ToolResultTextPrefix = "The tool returned: ";

    /// <summary><c>usage.prompt_tokens</c>.</summary>
    public const int PromptTokens = 19;

    /// <summary><c>usage.completion_tokens</c>.</summary>
    public const int CompletionTokens = 10;

    /// <summary><c>usage.total_tokens</c>.</summary>
    public const int TotalTokens = PromptTokens + CompletionTokens;

    /// <summary><c>usage.prompt_tokens_details.cached_tokens</c>.</summary>
    public const int CachedTokens = 4;

    /// <summary><c>usage.completion_tokens_details.reasoning_tokens</c>.</summary>
    public const int ReasoningTokens = 2;

    private readonly FakeUpstreamHost _host;

    private FakeOpenAIUpstream(FakeUpstreamHost host)
    {
        _host = host;
        BaseUrl = new Uri(host.Origin, "v1");
    }

    /// <summary>
    /// The <c>delta.content</c> of each content chunk of a streamed text completion, in order; they follow
    /// a first chunk with <c>{"role":"assistant","content":""}</c> and precede the <c>finish_reason</c> chunk.
    /// </summary>
    public static ImmutableArray<string> StreamTextDeltas { get; } = ["Hello", "!", " How", " can", " I", " assist", " you", " today", "?"];

    /// <summary>
    /// The <c>function.arguments</c> fragment of each chunk after the first in a streamed tool call, in order.
    /// </summary>
    public static ImmutableArray<string> ToolArgumentDeltas { get; } = ["{\"", "location", "\":\"", "Boston, MA", "\"}"];

    /// <summary>The ids listed by <c>GET /v1/models</c>.</summary>
    public static ImmutableArray<string> ModelIds { get; } = ["gpt-4o-mini", "gpt-4.1"];

    /// <summary>The base URL to configure as the OpenAI provider's, e.g. <c>http://127.0.0.1:49152/v1</c> (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A snapshot of every request received so far, in arrival order; safe to read while requests are in flight.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _host.Requests;

    /// <summary>The assistant text answering a tool result whose content is <paramref name="toolContent"/>.</summary>
    public static string ToolResultText(string toolContent) => ToolResultTextPrefix + toolContent;

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on the system clock.</summary>
    public static Task<FakeOpenAIUpstream> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeOpenAIUpstream> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var host = await FakeUpstreamHost.StartAsync(new OpenAIDialect(), timeProvider, cancellationToken).ConfigureAwait(false);
        return new FakeOpenAIUpstream(host);
    }

    /// <summary>
    /// Queues <paramref name="fault"/> for a later request. Each request, whatever its path, takes the oldest
    /// queued fault; with none queued it is answered normally.
    /// </summary>
    public void Enqueue(UpstreamFault fault) => _host.Enqueue(fault);

    /// <summary>
    /// Makes the next streamed response send its first chunk and then wait until the returned gate is released
    /// before sending the rest. Several calls hold several successive streams.
    /// </summary>
    public StreamGate HoldStream() => _host.HoldStream();

    /// <summary>Releases held streams, ends in-flight requests and stops the server.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
