using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// One adapter for every server that speaks OpenAI's chat completions: OpenAI, OpenRouter, Groq, Together,
/// DeepSeek, xAI, Mistral, Fireworks, Perplexity, Ollama's <c>/v1</c>, vLLM, LM Studio. The body is already
/// in their dialect, so it is sent as it is.
/// </summary>
internal sealed class OpenAICompatibleAdapter : IChatAdapter
{
    public static readonly OpenAICompatibleAdapter Instance = new();

    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    public WireDialect Dialect => WireDialect.OpenAI;

    public Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamHttp.PostAsync(call, call.Provider.ChatUrl, call.ApiKey is null ? [] : [new("Authorization", "Bearer " + call.ApiKey)],
            call.Stream ? EventStream : null, cancellationToken);

    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => statusCode switch
    {
        401 or 403 => ErrorCategory.Authentication,
        404 => ErrorCategory.NotFound,
        408 or 504 => ErrorCategory.Timeout,
        429 => ErrorCategory.RateLimited,
        >= 500 => ErrorCategory.Unavailable,
        _ when Mentions(body, "context_length_exceeded"u8) || Mentions(body, "maximum context length"u8) => ErrorCategory.ContextWindowExceeded,
        _ when Mentions(body, "content_policy"u8) || Mentions(body, "content_filter"u8) || Mentions(body, "safety system"u8) => ErrorCategory.ContentPolicy,
        _ => ErrorCategory.BadRequest,
    };

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output)
    {
        // A translated stream needs the usage at its end, so ask for it whatever the client said.
        var upstream = request with
        {
            Model = model,
            Stream = stream ? true : null,
            StreamOptions = stream ? (request.StreamOptions ?? new StreamOptions()) with { IncludeUsage = true } : null,
        };
        using var json = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(json, upstream, ChatJsonContext.Default.ChatRequest);
    }

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, ChatJsonContext.Default.ChatResponse) ?? throw new JsonException("the body is null");

    public IStreamDecoder CreateStreamDecoder() => new OpenAIStreamDecoder();

    private static bool Mentions(ReadOnlySpan<byte> body, ReadOnlySpan<byte> text) => body.IndexOf(text) >= 0;
}
