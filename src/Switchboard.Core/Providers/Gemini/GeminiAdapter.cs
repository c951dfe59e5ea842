using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Google's Gemini API (<c>generateContent</c> and <c>streamGenerateContent?alt=sse</c> under
/// <c>https://generativelanguage.googleapis.com/v1beta</c>). Its wire format has nothing in common with the canonical
/// one, so every call is translated: roles, <c>systemInstruction</c>, parts, function declarations, calls and
/// responses, <c>generationConfig</c>, finish reasons and <c>usageMetadata</c>.
/// </summary>
internal sealed class GeminiAdapter : IChatAdapter
{
    public static readonly GeminiAdapter Instance = new();

    /// <summary>Where the Gemini API lives when the config names no other base URL.</summary>
    public const string DefaultBaseUrl = "https://generativelanguage.googleapis.com/v1beta";

    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    public WireDialect Dialect => WireDialect.Gemini;

    /// <summary>The key in <c>x-goog-api-key</c>, never <c>?key=</c>: a query string ends up in proxy and access logs.</summary>
    public Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamHttp.PostAsync(call, Endpoint(call.Provider.BaseUrl, call.Model, call.Stream),
            call.ApiKey is null ? [] : [new("x-goog-api-key", call.ApiKey)], call.Stream ? EventStream : null, cancellationToken);

    /// <summary>
    /// The method URL for <paramref name="model"/>: <c>{base}/models/{model}:generateContent</c>, or
    /// <c>:streamGenerateContent?alt=sse</c> when streaming. A model already written as a resource name
    /// (<c>models/...</c>, <c>tunedModels/...</c>) keeps its collection.
    /// </summary>
    public static Uri Endpoint(Uri? baseUrl, string model, bool stream)
    {
        var root = baseUrl?.AbsoluteUri.TrimEnd('/') ?? DefaultBaseUrl;
        var resource = model.StartsWith("models/", StringComparison.Ordinal) || model.StartsWith("tunedModels/", StringComparison.Ordinal)
            ? model
            : "models/" + Uri.EscapeDataString(model);
        return new Uri(root + "/" + resource + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"));
    }

    /// <summary>
    /// Google's errors are <c>{"error": {"code", "message", "status"}}</c> with the gRPC status name; the HTTP status
    /// decides, and the message tells a bad key and an over-long prompt apart from other 400s.
    /// </summary>
    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => statusCode switch
    {
        401 or 403 => ErrorCategory.Authentication,
        404 => ErrorCategory.NotFound,
        408 or 504 => ErrorCategory.Timeout,
        429 => ErrorCategory.RateLimited,
        >= 500 => ErrorCategory.Unavailable,
        // A wrong key is a 400 INVALID_ARGUMENT at Google, not a 401.
        _ when Mentions(body, "API_KEY_INVALID"u8) || Mentions(body, "API key not valid"u8) || Mentions(body, "API Key not found"u8) => ErrorCategory.Authentication,
        _ when Mentions(body, "input token count"u8) && Mentions(body, "exceeds the maximum"u8) => ErrorCategory.ContextWindowExceeded,
        _ when Mentions(body, "UNAUTHENTICATED"u8) || Mentions(body, "PERMISSION_DENIED"u8) => ErrorCategory.Authentication,
        _ when Mentions(body, "DEADLINE_EXCEEDED"u8) => ErrorCategory.Timeout,
        _ when Mentions(body, "RESOURCE_EXHAUSTED"u8) => ErrorCategory.RateLimited,
        _ => ErrorCategory.BadRequest,
    };

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output) =>
        GeminiRequestWriter.Write(request, output);

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body) => GeminiResponseReader.Read(body);

    public IStreamDecoder CreateStreamDecoder() => new GeminiStreamDecoder();

    private static bool Mentions(ReadOnlySpan<byte> body, ReadOnlySpan<byte> text) => body.IndexOf(text) >= 0;
}
