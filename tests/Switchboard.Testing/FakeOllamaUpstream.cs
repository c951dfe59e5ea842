using System.Collections.Immutable;
using System.Globalization;

namespace Switchboard.Testing;

/// <summary>
/// A fake Ollama server for integration tests: real Kestrel on <c>127.0.0.1</c> and a free port, speaking Ollama's
/// native <c>POST /api/chat</c> from its API reference, recording every request and injecting queued faults
/// (rendered as Ollama's <c>{"error": "text"}</c>; a cut stream stops before the <c>"done": true</c> line).
/// </summary>
/// <remarks>
/// <para>Models other than <see cref="Models"/> get Ollama's 404 <c>model '...' not found</c>. Otherwise the answer is, in
/// order of precedence: when the last message has role <c>tool</c>, text made of <see cref="ToolResultTextPrefix"/> and the
/// result; when the request has <c>tools</c>, one call to the first tool with <see cref="ToolArguments"/> (no id, as Ollama
/// sends it); when messages carry <c>images</c>, <see cref="ImageText"/>; otherwise <see cref="CompletionText"/>, or
/// <see cref="StreamTextDeltas"/> when streamed, preceded by <see cref="Thinking"/> / <see cref="ThinkingDeltas"/> when the
/// request sets <c>think</c>.</para>
/// <para>Requests stream unless they say <c>"stream": false</c>, as Ollama's do: NDJSON lines, the last with
/// <c>"done": true</c>, <c>"done_reason": "stop"</c>, <see cref="PromptEvalCount"/> and <see cref="EvalCount"/>.</para>
/// </remarks>
public sealed class FakeOllamaUpstream : IAsyncDisposable
{
    /// <summary>The text of a whole answer, as in the reference's "No streaming" example.</summary>
    public const string CompletionText = "Hello! How are you today?";

    /// <summary>The streamed text: the concatenation of <see cref="StreamTextDeltas"/>.</summary>
    public const string StreamText = "Hello! How are you today?";

    /// <summary>The thinking of a whole answer when the request sets <c>think</c>.</summary>
    public const string Thinking = "The user greets me. I should greet back.";

    /// <summary>The tool call's arguments, as the JSON text a client gets (Ollama sends them as an object).</summary>
    public const string ToolArguments = """{"city":"Tokyo"}""";

    /// <summary>What the answer to a tool result starts with; the tool message's content follows.</summary>
    public const string ToolResultTextPrefix = "The tool returned: ";

    /// <summary><c>prompt_eval_count</c> of every answer.</summary>
    public const int PromptEvalCount = 169;

    /// <summary><c>eval_count</c> of every answer.</summary>
    public const int EvalCount = 15;

    private readonly FakeUpstreamHost _host;

    private FakeOllamaUpstream(FakeUpstreamHost host)
    {
        _host = host;
        BaseUrl = new Uri(host.Origin.AbsoluteUri.TrimEnd('/'));
    }

    /// <summary>The models the fake serves; any other is a 404.</summary>
    public static ImmutableArray<string> Models { get; } = ["llama3.2", "llava", "qwen3"];

    /// <summary>The <c>message.content</c> of each streamed line before the final one.</summary>
    public static ImmutableArray<string> StreamTextDeltas { get; } = ["Hello", "!", " How", " are", " you", " today", "?"];

    /// <summary>The <c>message.thinking</c> of each streamed line before the text, when the request sets <c>think</c>.</summary>
    public static ImmutableArray<string> ThinkingDeltas { get; } = ["The user greets me.", " I should greet back."];

    /// <summary>The server's root, as a provider's <c>base_url</c>: <c>http://127.0.0.1:port</c> (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A snapshot of every request received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _host.Requests;

    /// <summary>The answer to a request whose messages carry <paramref name="count"/> images.</summary>
    public static string ImageText(int count) => string.Create(CultureInfo.InvariantCulture, $"I see {count} image(s).");

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on the system clock.</summary>
    public static Task<FakeOllamaUpstream> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeOllamaUpstream> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var host = await FakeUpstreamHost.StartAsync(new OllamaDialect(), timeProvider, cancellationToken).ConfigureAwait(false);
        return new FakeOllamaUpstream(host);
    }

    /// <summary>Queues <paramref name="fault"/> for a later request; each request takes the oldest queued fault.</summary>
    public void Enqueue(UpstreamFault fault) => _host.Enqueue(fault);

    /// <summary>Makes the next streamed response send its first line and wait until the returned gate is released.</summary>
    public StreamGate HoldStream() => _host.HoldStream();

    /// <summary>Releases held streams, ends in-flight requests and stops the server.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
