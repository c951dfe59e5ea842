using System.Diagnostics;
using Switchboard.Configuration;
using Switchboard.Providers;

namespace Switchboard.Execution;

/// <summary>
/// Calls a provider for a resolved model: picks a key, sends, and when the provider refuses or rate limits
/// that key, rests it and tries the next one. Bounds each call by the timeout, and turns connection
/// failures and timeouts into classified errors that name the provider and what to do.
/// </summary>
public sealed class ChatExecutor
{
    private static readonly TimeSpan RateLimitRest = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RefusedRest = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRest = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time;
    private readonly ResilienceOptions _resilience;

    public ChatExecutor(TimeProvider time, ResilienceOptions resilience)
    {
        _time = time;
        _resilience = resilience;
    }

    /// <summary>
    /// Sends <paramref name="body"/> (already in the provider's dialect) and returns once headers arrive.
    /// A 4xx/5xx answer is returned too, for the caller to read; only failures to get an answer throw.
    /// </summary>
    /// <param name="clientHeaders">Headers of the client's request that go along with an untranslated body (see <see cref="UpstreamCall.ClientHeaders"/>).</param>
    public async Task<UpstreamResult> SendAsync(ModelResolution target, ReadOnlyMemory<byte> body, bool stream, CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? clientHeaders = null)
    {
        var provider = target.Provider;
        var adapter = provider.Adapter!;
        var tries = Math.Max(1, provider.Credentials.Count);
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var key = provider.Credentials.Next();
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_resilience.Timeout);
            UpstreamResponse response;
            try
            {
                response = await adapter.SendAsync(new UpstreamCall(provider, key, target.Model, body, stream) { ClientHeaders = clientHeaders ?? [] }, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                deadline.Dispose();
                throw TimedOut(target, attempt, _resilience.Timeout);
            }
            catch (HttpRequestException e)
            {
                deadline.Dispose();
                throw Unreachable(target, attempt, e);
            }

            if (key is not null && response.StatusCode is 401 or 403 or 429)
            {
                var rest = response.StatusCode == 429 ? Clamp(response.RetryAfter ?? RateLimitRest) : RefusedRest;
                provider.Credentials.Rest(key, rest);
                if (attempt < tries && provider.Credentials.Available > 0)
                {
                    response.Dispose();
                    deadline.Dispose();
                    continue;
                }
            }
            return new UpstreamResult(target, response, attempt, _time.GetElapsedTime(started), deadline);
        }
    }

    /// <summary>The error for a call the timeout ended, at whatever stage.</summary>
    public static SwitchboardException TimedOut(ModelResolution target, int attempts, TimeSpan timeout) =>
        new(ErrorCategory.Timeout, 504,
            $"{target.Provider.Descriptor.DisplayName} did not answer within {timeout.TotalSeconds:0.###}s for model {target.Model}. " +
            "If the model needs longer, raise resilience.timeout in switchboard.yaml.", code: "upstream_timeout")
        {
            Attempts = attempts,
            Provider = target.Provider.Name,
        };

    private static SwitchboardException Unreachable(ModelResolution target, int attempts, HttpRequestException e)
    {
        var provider = target.Provider;
        var cause = e.GetBaseException().Message;
        // Not connecting at all and losing the connection mid-call are different problems with different fixes.
        var message = e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
            ? $"Could not reach {provider.Descriptor.DisplayName} at {provider.BaseUrl}: {cause}"
              + (provider.Descriptor == KnownProviders.Ollama ? ". Is Ollama running? Start it with: ollama serve" : "")
            : $"{provider.Descriptor.DisplayName} at {provider.BaseUrl} dropped the connection before answering: {cause}";
        return new SwitchboardException(ErrorCategory.Unavailable, 502, message, code: "upstream_unreachable", inner: e)
        {
            Attempts = attempts,
            Provider = provider.Name,
        };
    }

    private static TimeSpan Clamp(TimeSpan rest) => rest < TimeSpan.Zero ? TimeSpan.Zero : rest > MaxRest ? MaxRest : rest;
}
