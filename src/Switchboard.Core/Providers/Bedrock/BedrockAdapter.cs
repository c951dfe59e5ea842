using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// AWS Bedrock's Converse and ConverseStream APIs: <c>POST /model/{modelId}/converse</c> (or <c>/converse-stream</c>, whose
/// answer is AWS's binary event stream) on <c>bedrock-runtime.{AWS_REGION}.amazonaws.com</c>, or on the provider's
/// configured base URL. Every call is signed with Signature Version 4 for the service <c>bedrock</c>: the key id is the
/// call's key (<c>AWS_ACCESS_KEY_ID</c>), the secret, region and optional session token come from the provider's settings.
/// </summary>
internal sealed class BedrockAdapter : IChatAdapter
{
    /// <summary>The adapter every Bedrock provider shares, signing on the system clock.</summary>
    public static readonly BedrockAdapter Instance = new(TimeProvider.System);

    /// <summary>The service name in the signature's credential scope.</summary>
    public const string Service = "bedrock";

    public const string SecretSetting = "AWS_SECRET_ACCESS_KEY";
    public const string RegionSetting = "AWS_REGION";
    public const string SessionTokenSetting = "AWS_SESSION_TOKEN";

    private const string JsonMediaType = "application/json";
    private static readonly MediaTypeHeaderValue Json = new(JsonMediaType);
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new(JsonMediaType);
    private static readonly MediaTypeWithQualityHeaderValue AcceptEventStream = new("application/vnd.amazon.eventstream");

    private readonly TimeProvider _time;
    private readonly SigV4Signer _signer;

    /// <param name="time">The clock signatures are dated by; tests pass their own.</param>
    internal BedrockAdapter(TimeProvider time)
    {
        _time = time;
        _signer = new SigV4Signer(time);
    }

    public WireDialect Dialect => WireDialect.Bedrock;

    public async Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var provider = call.Provider;
        var region = Setting(provider, RegionSetting);
        var credentials = new AwsCredentials(
            call.ApiKey ?? throw Missing(provider, "AWS_ACCESS_KEY_ID"),
            Setting(provider, SecretSetting),
            provider.Settings.GetValueOrDefault(SessionTokenSetting));
        var uri = Endpoint(provider.BaseUrl, region, call.Model, call.Stream);

        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ReadOnlyMemoryContent(call.Body) { Headers = { ContentType = Json } },
        };
        // The host is signed, so it is set to exactly what was signed rather than left to the handler.
        var host = uri.Authority;
        request.Headers.Host = host;
        var signature = _signer.Sign("POST", uri.AbsolutePath, uri.Query, [new("host", host), new("content-type", JsonMediaType)],
            call.Body.Span, credentials, region, Service);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signature.AmzDate);
        if (!string.IsNullOrEmpty(credentials.SessionToken)) request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", credentials.SessionToken);
        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
        request.Headers.Accept.Add(call.Stream ? AcceptEventStream : AcceptJson);
        foreach (var (name, value) in provider.Headers) request.Headers.TryAddWithoutValidation(name, value);

        var response = await provider.Http.SendAsync(request, cancellationToken);
        try
        {
            var body = response.IsSuccessStatusCode
                ? await response.Content.ReadAsStreamAsync(cancellationToken)
                : await BedrockErrors.ReadBodyAsync(response, cancellationToken);
            return new UpstreamResponse(response, body);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where a call goes: <c>{base}/model/{modelId}/converse</c> or <c>/converse-stream</c>. The model id is one path segment,
    /// so its <c>:</c> (<c>anthropic.claude-3-5-sonnet-20240620-v1:0</c>) and the <c>/</c> of an ARN are percent-encoded.
    /// </summary>
    public static Uri Endpoint(Uri? baseUrl, string region, string model, bool stream)
    {
        var root = baseUrl ?? new Uri($"https://bedrock-runtime.{region}.amazonaws.com");
        var path = root.AbsolutePath.TrimEnd('/') + "/model/" + SigV4Signer.UriEncode(model) + (stream ? "/converse-stream" : "/converse");
        return new Uri(root.GetLeftPart(UriPartial.Authority) + path);
    }

    public ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body) => BedrockErrors.Classify(statusCode, body);

    public void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output) => BedrockRequestWriter.Write(request, output);

    public ChatResponse ReadResponse(ReadOnlySpan<byte> body)
    {
        try
        {
            return BedrockResponseReader.Read(body, _time.GetUtcNow().ToUnixTimeSeconds());
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong kind (a number where a string belongs) is as malformed as broken JSON.
            throw new JsonException("the answer has a value of the wrong type: " + e.Message, e);
        }
    }

    public IStreamDecoder CreateStreamDecoder() => new BedrockStreamDecoder();

    private static string Setting(Provider provider, string name) =>
        provider.Settings.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : throw Missing(provider, name);

    private static SwitchboardException Missing(Provider provider, string variable) =>
        new(ErrorCategory.Authentication, 401, $"{provider.Descriptor.DisplayName} needs {variable} to sign its calls; set it in the environment.", code: "missing_api_key")
        {
            Provider = provider.Name,
        };
}
