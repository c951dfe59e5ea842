using System.Net.Http.Headers;

namespace Switchboard.Providers;

/// <summary>
/// Posts a call's JSON body to a provider and returns once the response headers arrive, the body still to be read.
/// Shared by every HTTP adapter that needs no request signing: they differ only in where the call goes, how the key
/// is sent and which version header they name.
/// </summary>
internal static class UpstreamHttp
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <param name="headers">The adapter's own headers (the key, an API version); the client's forwarded headers and then
    /// the config's replace any of the same name, so a header is never sent twice.</param>
    public static Task<UpstreamResponse> PostAsync(UpstreamCall call, Uri? url, ReadOnlySpan<KeyValuePair<string, string>> headers,
        MediaTypeWithQualityHeaderValue? accept, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ReadOnlyMemoryContent(call.Body) { Headers = { ContentType = Json } },
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        if (accept is not null) request.Headers.Accept.Add(accept);
        Replace(request.Headers, call.ClientHeaders);
        Replace(request.Headers, call.Provider.Headers);
        return SendAsync(call.Provider, request, cancellationToken);
    }

    private static async Task<UpstreamResponse> SendAsync(Provider provider, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
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
    }

    private static void Replace(HttpRequestHeaders target, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
        {
            target.Remove(name);
            target.TryAddWithoutValidation(name, value);
        }
    }
}
