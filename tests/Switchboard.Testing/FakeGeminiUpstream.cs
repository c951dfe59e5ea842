using System.Collections.Immutable;
using System.Text;

namespace Switchboard.Testing;

/// <summary>
/// A fake Google Gemini API for integration tests: real Kestrel on <c>127.0.0.1</c> and a free port, speaking the
/// <c>generateContent</c> / <c>streamGenerateContent</c> wire format from Google's API reference, recording every
/// request and injecting queued faults.
/// </summary>
/// <remarks>
/// <para><c>POST /v1beta/models/{model}:generateContent</c> answers a whole <c>GenerateContentResponse</c> whose
/// <c>modelVersion</c> echoes the model, in order of precedence: when the last content's text is <see cref="BlockedPrompt"/>,
/// a prompt blocked for <c>SAFETY</c> (no candidates); when the last content holds <c>functionResponse</c> parts,
/// text made by <see cref="ToolResultText"/> from their <c>response.content</c> (or their whole <c>response</c>
/// JSON), joined by <c>", "</c>; when the request declares functions, a <c>functionCall</c> to each of them in one turn
/// (parallel calls; only the first is signed with <see cref="ThoughtSignature"/>) with <see cref="ToolArguments"/>, or
/// to the first of <c>toolConfig.functionCallingConfig.allowedFunctionNames</c>, or none with mode <c>NONE</c>;
/// otherwise <see cref="CompletionText"/>. With <c>generationConfig.thinkingConfig.includeThoughts</c> the answer
/// starts with a thought part holding <see cref="ThoughtText"/>.</para>
/// <para><c>POST /v1beta/models/{model}:streamGenerateContent?alt=sse</c> answers the same as server-sent events,
/// one <c>data:</c> line per chunk and no terminator: text in <see cref="StreamTextDeltas"/> (the last delta in the
/// chunk with <c>"finishReason": "STOP"</c>), function calls whole in one finishing chunk. Without <c>alt=sse</c>
/// the chunks come as one JSON array, as Google sends them. <c>GET /v1beta/models</c> lists <see cref="ModelIds"/>.</para>
/// <para>Like the real API it answers 403 <c>PERMISSION_DENIED</c> without an <c>x-goog-api-key</c> (or <c>?key=</c>),
/// 400 <c>API_KEY_INVALID</c> to <see cref="InvalidApiKey"/>, 404 <c>NOT_FOUND</c> to a model not named
/// <c>gemini*</c>, and 400 <c>INVALID_ARGUMENT</c> to empty <c>contents</c> or parts, a role other than
/// <c>user</c>/<c>model</c>, a schema field outside Gemini's subset (<c>additionalProperties</c>, <c>$schema</c>,
/// ...), a turn of function responses that does not answer every call of the turn before, and, for
/// <c>gemini-3*</c> models, a step whose first <c>functionCall</c> has no <c>thoughtSignature</c>.</para>
/// <para>Every answer carries the same final usage: <see cref="PromptTokenCount"/>, <see cref="CandidatesTokenCount"/>,
/// <see cref="CachedContentTokenCount"/>, <see cref="ThoughtsTokenCount"/> and <see cref="TotalTokenCount"/>; chunks
/// before the last carry only the prompt count.</para>
/// </remarks>
public sealed class FakeGeminiUpstream : IAsyncDisposable
{
    /// <summary>The <c>responseId</c> of a whole answer.</summary>
    public const string ResponseId = "mJ9CaOqMHo2Mz7IP4LvF-AU";

    /// <summary>The <c>responseId</c> of every chunk of a streamed answer.</summary>
    public const string StreamResponseId = "tTCwacuEBMvnitYP06qsgQY";

    /// <summary>The text of a whole answer.</summary>
    public const string CompletionText = "Hi there! How can I help you today?";

    /// <summary>The text of a streamed answer: the concatenation of <see cref="StreamTextDeltas"/>.</summary>
    public const string StreamText = "Hello! How can I help you today?";

    /// <summary>The thought part's text when the request asks for thoughts.</summary>
    public const string ThoughtText = "**Responding to a greeting**\n\nThe user said hello, so I will greet them back and offer help.";

    /// <summary>The function called when a declaration has no name.</summary>
    public const string DefaultToolName = "get_current_weather";

    /// <summary>Every <c>functionCall.args</c>, as compact JSON.</summary>
    public const string ToolArguments = """{"location":"Boston, MA"}""";

    /// <summary>The <c>thoughtSignature</c> on the first function call of an answer.</summary>
    public const string ThoughtSignature = "AY89a18iOcFus5wr5bW5xN6zZ4aUiCyhgmg6HE2YjtYDV/dwZ5oZlZHeTmiUKv34qq0=";

    /// <summary>What the answer to a function response starts with; the response's content follows.</summary>
    public const string ToolResultTextPrefix = "The tool returned: ";

    /// <summary>The user text that makes the fake block the prompt (<c>promptFeedback.blockReason: SAFETY</c>).</summary>
    public const string BlockedPrompt = "How do I make a dangerous weapon?";

    /// <summary>The key the fake rejects with Google's 400 <c>API_KEY_INVALID</c>.</summary>
    public const string InvalidApiKey = "AIza-invalid-key";

    /// <summary>The message of the 400 for a key Google does not know.</summary>
    public const string ApiKeyInvalidMessage = "API key not valid. Please pass a valid API key.";

    /// <summary>The message of the 400 for a prompt longer than the context window.</summary>
    public const string ContextWindowMessage = "The input token count (1200293) exceeds the maximum number of tokens allowed (1048576).";

    /// <summary>The message of the 429.</summary>
    public const string RateLimitMessage =
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.";

    /// <summary>The message of the 503.</summary>
    public const string OverloadedMessage = "The model is overloaded. Please try again later.";

    /// <summary><c>usageMetadata.promptTokenCount</c>: the whole prompt, cached content included.</summary>
    public const int PromptTokenCount = 24;

    /// <summary><c>usageMetadata.candidatesTokenCount</c>: the answer without thoughts.</summary>
    public const int CandidatesTokenCount = 12;

    /// <summary><c>usageMetadata.cachedContentTokenCount</c>.</summary>
    public const int CachedContentTokenCount = 16;

    /// <summary><c>usageMetadata.thoughtsTokenCount</c>.</summary>
    public const int ThoughtsTokenCount = 7;

    /// <summary><c>usageMetadata.totalTokenCount</c>: prompt, candidates and thoughts.</summary>
    public const int TotalTokenCount = PromptTokenCount + CandidatesTokenCount + ThoughtsTokenCount;

    private readonly FakeUpstreamHost _host;

    private FakeGeminiUpstream(FakeUpstreamHost host)
    {
        _host = host;
        BaseUrl = new Uri(host.Origin, "v1beta");
    }

    /// <summary>The text of each chunk of a streamed answer, in order (from a real Gemini stream).</summary>
    public static ImmutableArray<string> StreamTextDeltas { get; } = ["Hello!", " How can I help you today", "?"];

    /// <summary>The models listed by <c>GET /v1beta/models</c> (as <c>models/{id}</c>).</summary>
    public static ImmutableArray<string> ModelIds { get; } = ["gemini-2.5-flash", "gemini-2.5-pro"];

    /// <summary>The base URL to configure as the Google provider's, e.g. <c>http://127.0.0.1:49152/v1beta</c> (no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A snapshot of every request received so far, in arrival order; safe to read while requests are in flight.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _host.Requests;

    /// <summary>The text answering function responses whose content is <paramref name="toolContent"/>.</summary>
    public static string ToolResultText(string toolContent) => ToolResultTextPrefix + toolContent;

    /// <summary>
    /// A Google error body, <c>{"error": {"code", "message", "status"}}</c>, for <see cref="UpstreamFault.Status"/>'s
    /// <c>body</c>, e.g. <c>ErrorBody(400, "FAILED_PRECONDITION", "User location is not supported for the API use.")</c>.
    /// </summary>
    public static string ErrorBody(int code, string status, string message) => Encoding.UTF8.GetString(GeminiPayloads.Error(code, status, message));

    /// <summary>The 400 Google answers to a key it does not know, with its <c>ErrorInfo</c> details.</summary>
    public static byte[] ApiKeyInvalidBody() => GeminiPayloads.Error(400, "INVALID_ARGUMENT", ApiKeyInvalidMessage, static w =>
    {
        w.WriteStartObject();
        w.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        w.WriteString("reason", "API_KEY_INVALID");
        w.WriteString("domain", "googleapis.com");
        w.WriteStartObject("metadata");
        w.WriteString("service", "generativelanguage.googleapis.com");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("@type", "type.googleapis.com/google.rpc.LocalizedMessage");
        w.WriteString("locale", "en-US");
        w.WriteString("message", ApiKeyInvalidMessage);
        w.WriteEndObject();
    });

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on the system clock.</summary>
    public static Task<FakeGeminiUpstream> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(TimeProvider.System, cancellationToken);

    /// <summary>Starts a fake on a free loopback port, timing <see cref="UpstreamFault.Delay"/> on <paramref name="timeProvider"/>.</summary>
    public static async Task<FakeGeminiUpstream> StartAsync(TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var host = await FakeUpstreamHost.StartAsync(new GeminiDialect(), timeProvider, cancellationToken).ConfigureAwait(false);
        return new FakeGeminiUpstream(host);
    }

    /// <summary>
    /// Queues <paramref name="fault"/> for a later request. Each request, whatever its path, takes the oldest queued
    /// fault; with none queued it is answered normally. A cut stream never sends its finishing chunk, which is
    /// Gemini's only end-of-stream marker.
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
