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

    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    public WireDialect Dialect => WireDialect.Anthropic;

    /// <summary>The key in <c>x-api-key</c> and our API version, which a client's own version (on pass-through) or the config's replaces.</summary>
    public Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamHttp.PostAsync(call, call.Provider.ChatUrl,
            call.ApiKey is null ? [new("anthropic-version", ApiVersion)] : [new("x-api-key", call.ApiKey), new("anthropic-version", ApiVersion)],
            call.Stream ? EventStream : null, cancellationToken);

    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => AnthropicErrors.Classify(statusCode, body);

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output) =>
        AnthropicRequestWriter.Write(request, model, stream, output);

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body) => AnthropicResponseReader.Read(body);

    public IStreamDecoder CreateStreamDecoder() => new AnthropicStreamDecoder();
}
