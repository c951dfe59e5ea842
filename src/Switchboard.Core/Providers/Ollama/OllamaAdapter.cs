using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Chat;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Ollama's native chat API, <c>POST /api/chat</c>, chosen with <c>api: native</c> on a provider of type ollama.
/// Its request and answer shapes are its own (options, base64 <c>images</c>, tool arguments as objects, NDJSON
/// streams ending in a line with <c>"done": true</c>), so every call is translated. Ollama's OpenAI-compatible
/// <c>/v1</c> stays the default: it passes through as bytes and is the fastest path; the native API is for what
/// only it offers (its options, <c>think</c>, exact token counts on every answer).
/// </summary>
internal sealed class OllamaAdapter : IChatAdapter
{
    public static readonly OllamaAdapter Instance = new();

    /// <summary>The chat endpoint under the server's root (the provider's base URL).</summary>
    public const string ChatPath = "/api/chat";

    private static readonly MediaTypeWithQualityHeaderValue NdJson = new("application/x-ndjson");

    public WireDialect Dialect => WireDialect.Ollama;

    public Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamHttp.PostAsync(call, Endpoint(call.Provider.BaseUrl), [], call.Stream ? NdJson : null, cancellationToken);

    /// <summary><c>{base}/api/chat</c>; the base URL is the server's root, such as <c>http://127.0.0.1:11434</c>.</summary>
    public static Uri Endpoint(Uri? baseUrl) =>
        new((baseUrl?.AbsoluteUri ?? "http://127.0.0.1:11434").TrimEnd('/') + ChatPath);

    /// <summary>
    /// Ollama's errors are <c>{"error": "text"}</c>: the status decides, and a prompt longer than the model's context
    /// says so in the text. Everything else is classified as OpenAI's statuses are.
    /// </summary>
    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) =>
        statusCode == 400 && (body.IndexOf("context length"u8) >= 0 || body.IndexOf("context window"u8) >= 0)
            ? ErrorCategory.ContextWindowExceeded
            : OpenAICompatibleAdapter.Instance.Classify(statusCode, body);

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output) =>
        OllamaRequestWriter.Write(request, model, stream, output);

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body) => OllamaResponseReader.Read(body);

    public IStreamDecoder CreateStreamDecoder() => new OllamaStreamDecoder();
}
