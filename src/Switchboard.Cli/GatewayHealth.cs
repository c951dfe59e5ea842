using System.Text.Json;

namespace Switchboard.Cli;

/// <summary>
/// The health a running gateway has seen (<c>GET /health/providers</c>): each provider's status and open circuits.
/// Health lives in the gateway's process, from its calls and probes; a fresh CLI process has made none.
/// </summary>
internal static class GatewayHealth
{
    /// <summary>The gateway's address as given to <c>--gateway</c>, with the trailing slash its paths are resolved against.</summary>
    public static Uri ParseUrl(string text) =>
        Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw new UsageException($"--gateway takes the gateway's address, such as http://127.0.0.1:4000, not '{text}'.");

    /// <summary>Each provider's status, with its open circuits when there are any, by provider name.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(Uri gateway, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = timeout };
        string text;
        try
        {
            text = await http.GetStringAsync(new Uri(gateway, "health/providers"), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new UsageException($"Could not read the health of the gateway at {gateway}: {e.Message} Is it running (switchboard serve)?");
        }
        var statuses = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        try
        {
            using var document = JsonDocument.Parse(text);
            foreach (var provider in document.RootElement.GetProperty("providers").EnumerateArray())
            {
                var open = provider.GetProperty("deployments").EnumerateArray().Count(d => d.GetProperty("circuit").GetString() == "open");
                var calls = provider.GetProperty("calls").GetInt32();
                var status = provider.GetProperty("status").GetString()!;
                statuses[provider.GetProperty("name").GetString()!] = calls == 0 && open == 0 ? status + " (no calls yet)"
                    : open > 0 ? $"{status} ({open} circuit{(open == 1 ? "" : "s")} open)" : $"{status} ({calls} recent calls)";
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"{gateway} answered /health/providers with something that is not Switchboard's health: {e.Message}");
        }
        return statuses;
    }
}
