using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Speaks Anthropic's Messages API: <c>POST {base}/v1/messages</c> with the key in <c>x-api-key</c> and the API
/// version in <c>anthropic-version</c>. A body from an Anthropic client is already in this dialect and goes as it is;
/// a canonical request is written as a Messages request, and the message or stream that comes back is read as
/// canonical answers and events.
/// </summary>
internal sealed class AnthropicAdapter : IChatAdapter
{
    public static readonly AnthropicAdapter Instance = new();

    /// <summary>The API version every request names; the Messages API's only stable one.</summary>
    public const string ApiVersion = "2023-06-01";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    public WireDialect Dialect => WireDialect.Anthropic;

    public async Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var provider = call.Provider;
        using var request = new HttpRequestMessage(HttpMethod.Post, provider.ChatUrl)
        {
            Content = new ReadOnlyMemoryContent(call.Body) { Headers = { ContentType = Json } },
        };
        if (call.ApiKey is not null) request.Headers.TryAddWithoutValidation("x-api-key", call.ApiKey);
        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        if (call.Stream) request.Headers.Accept.Add(EventStream);
        foreach (var (name, value) in call.ClientHeaders)
        {
            // The client's version and betas describe the body it wrote, so they replace our defaults.
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        foreach (var (name, value) in provider.Headers)
        {
            // A configured anthropic-version (or any header) replaces ours rather than being sent twice.
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await provider.Http.SendAsync(request, cancellationToken);
        try
        {
            return new UpstreamResponse(response, await response.Content.ReadAsStreamAsync(cancellationToken));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => AnthropicErrors.Classify(statusCode, body);

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output) =>
        AnthropicRequestWriter.Write(request, model, stream, output);

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body) => AnthropicResponseReader.Read(body);

    public IStreamDecoder CreateStreamDecoder() => new AnthropicStreamDecoder();
}
