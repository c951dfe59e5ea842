using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Jobs;

/// <summary>
/// POSTs a finished job to its webhook: in the background, so a worker's slot never waits on someone else's server;
/// a few tries with growing pauses; a failure logged with the URL's query left out (it may carry a token), never thrown.
/// With a secret, the body is signed: <c>x-switchboard-signature: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>.
/// </summary>
internal sealed class JobWebhooks : IAsyncDisposable
{
    /// <summary>The header that carries the body's signature.</summary>
    public const string SignatureHeader = "x-switchboard-signature";

    private const int Tries = 4;
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout };
    private readonly byte[]? _secret;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _sending = [];

    public JobWebhooks(string? secret, ILogger logger)
    {
        _secret = secret is null ? null : Encoding.UTF8.GetBytes(secret);
        _logger = logger;
    }

    /// <summary>The signature header's value for <paramref name="body"/> under <paramref name="secret"/>.</summary>
    public static string Sign(byte[] secret, ReadOnlySpan<byte> body) => "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>Starts sending <paramref name="json"/> to <paramref name="url"/> and returns at once.</summary>
    public void Send(Uri url, string json)
    {
        var task = Task.Run(() => SendAsync(url, Encoding.UTF8.GetBytes(json)));
        lock (_sending) _sending.Add(task);
        _ = task.ContinueWith(done =>
        {
            lock (_sending) _sending.Remove(done);
        }, TaskScheduler.Default);
    }

    private async Task SendAsync(Uri url, byte[] body)
    {
        var pause = FirstPause;
        string? last = null;
        for (var attempt = 1; attempt <= Tries; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                };
                if (_secret is not null) request.Headers.TryAddWithoutValidation(SignatureHeader, Sign(_secret, body));
                using var response = await _http.SendAsync(request, _stopping.Token);
                if (response.IsSuccessStatusCode) return;
                last = "status " + (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                last = "the gateway stopped";
                break;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                last = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0}s" : e.Message;
            }
            if (attempt == Tries) break;
            try
            {
                await Task.Delay(pause, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                last = "the gateway stopped";
                break;
            }
            pause *= 2;
        }
        _logger.LogWarning("Job webhook {Url} failed after retries: {Reason}", url.GetLeftPart(UriPartial.Path), last);
    }

    /// <summary>Gives the webhooks under way a few seconds, then cuts them off.</summary>
    public async ValueTask DisposeAsync()
    {
        Task[] sending;
        lock (_sending) sending = [.. _sending];
        await Task.WhenAny(Task.WhenAll(sending), Task.Delay(TimeSpan.FromSeconds(5)));
        await _stopping.CancelAsync();
        await Task.WhenAll(sending);
        _stopping.Dispose();
        _http.Dispose();
    }
}
