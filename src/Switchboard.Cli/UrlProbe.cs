using System.Globalization;
using System.Net.Sockets;

namespace Switchboard.Cli;

/// <summary>
/// Asks whether a base URL answers at all: any HTTP response counts, whatever its status, since a provider's
/// base URL seldom serves a page of its own. Each URL is asked once, however many checks name it.
/// </summary>
internal sealed class UrlProbe : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly Dictionary<Uri, Task<ProbeResult>> _asked = [];

    public UrlProbe(TimeSpan timeout)
    {
        _timeout = timeout;
        // No keys are sent: whether the server is there is all this asks, and a key must not go where it was not meant to.
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = timeout, UseCookies = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public Task<ProbeResult> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!_asked.TryGetValue(url, out var answer)) _asked[url] = answer = AskAsync(url, cancellationToken);
        return answer;
    }

    private async Task<ProbeResult> AskAsync(Uri url, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return new ProbeResult(true, string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"no answer within {_timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(false, Reason(e));
        }
    }

    private static string Reason(HttpRequestException e) => e.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name does not resolve",
        HttpRequestError.ConnectionError when e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        _ => e.Message,
    };

    public void Dispose() => _http.Dispose();
}
