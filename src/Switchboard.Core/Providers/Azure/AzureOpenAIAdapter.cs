using System.Buffers;
using System.Net.Http.Headers;
using Switchboard.Chat;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers.Azure;

/// <summary>
/// Azure OpenAI: OpenAI's chat completions wire format behind Azure's addressing. The deployment is in the path
/// (<c>{endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...</c>, or the versionless
/// <c>{endpoint}/openai/v1/chat/completions</c>) and the key goes in <c>api-key</c>, not <c>Authorization</c>.
/// Bodies, streams, translation and most error classification are OpenAI's, so this adapter composes the OpenAI
/// one instead of repeating it: a client speaking OpenAI passes through as bytes.
/// </summary>
internal sealed class AzureOpenAIAdapter : IChatAdapter
{
    /// <summary>
    /// The latest dated generally-available data-plane inference version (Azure OpenAI REST API reference), used when
    /// the config sets no <c>api_version</c>.
    /// </summary>
    public const string DefaultApiVersion = "2024-10-21";

    /// <summary>The <c>api_version</c> that selects Azure's versionless v1 API (GA since August 2025).</summary>
    public const string V1 = "v1";

    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly OpenAICompatibleAdapter _openAI = OpenAICompatibleAdapter.Instance;

    public AzureOpenAIAdapter(string? apiVersion = null) => ApiVersion = apiVersion ?? DefaultApiVersion;

    /// <summary>The <c>api-version</c> every call is sent with, or <see cref="V1"/>.</summary>
    public string ApiVersion { get; }

    public WireDialect Dialect => WireDialect.OpenAI;

    public Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
        UpstreamHttp.PostAsync(call, Endpoint(call.Provider.BaseUrl, call.Model),
            call.ApiKey is null ? [] : [new("api-key", call.ApiKey)], call.Stream ? EventStream : null, cancellationToken);

    /// <summary>The chat completions URL of <paramref name="deployment"/> at the resource <paramref name="endpoint"/>.</summary>
    public Uri Endpoint(Uri? endpoint, string deployment)
    {
        // EnsureCallable stops a call without AZURE_OPENAI_ENDPOINT or base_url before it gets here.
        var root = (endpoint ?? throw new InvalidOperationException("Azure OpenAI needs an endpoint (AZURE_OPENAI_ENDPOINT or base_url).")).AbsoluteUri.TrimEnd('/');
        return ApiVersion == V1
            ? new Uri(root + "/openai/v1/chat/completions")
            : new Uri(root + "/openai/deployments/" + Uri.EscapeDataString(deployment) + "/chat/completions?api-version=" + Uri.EscapeDataString(ApiVersion));
    }

    /// <summary>
    /// Azure refuses a prompt its content filter flags with a 400 whose code is <c>content_filter</c> and whose inner
    /// code is <c>ResponsibleAIPolicyViolation</c>; that is a content policy error, not a bad request. The rest is OpenAI's.
    /// </summary>
    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) =>
        statusCode is >= 400 and < 500 and not (401 or 403 or 404 or 408 or 429)
        && (body.IndexOf("ResponsibleAIPolicyViolation"u8) >= 0 || body.IndexOf("\"content_filter\""u8) >= 0)
            ? ErrorCategory.ContentPolicy
            : _openAI.Classify(statusCode, body);

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output) =>
        _openAI.WriteRequest(request, model, stream, output);

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body) => _openAI.ReadResponse(body);

    public IStreamDecoder CreateStreamDecoder() => _openAI.CreateStreamDecoder();
}
