using System.Buffers;
using Polly.CircuitBreaker;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Resilience;

namespace Switchboard.Execution;

/// <summary>
/// Calls one deployment: through its resilience pipeline (retries with backoff that honour <c>Retry-After</c>, then
/// its circuit breaker), rotating the provider's keys when one is refused or rate limited, bounding each attempt by
/// its timeout, and turning every failure into a classified error that names the provider and what to do.
/// </summary>
public sealed class ChatExecutor
{
    private const int FirstReadSize = 16 * 1024;
    private static readonly TimeSpan RateLimitRest = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RefusedRest = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MaxRest = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time;
    private readonly ResilienceOptions _resilience;
    private readonly DeploymentRegistry _deployments;

    public ChatExecutor(TimeProvider time, ResilienceOptions resilience, DeploymentRegistry deployments)
    {
        _time = time;
        _resilience = resilience;
        _deployments = deployments;
    }

    /// <summary>The timeout of one attempt: to a stream's first bytes, or to a whole answer.</summary>
    public TimeSpan TimeoutFor(bool stream, TimeSpan? configured = null) => configured ?? (stream ? _resilience.Timeout : _resilience.ResponseTimeout);

    /// <summary>
    /// Calls <paramref name="target"/> through its deployment's pipeline and returns once it has answered well: a
    /// whole answer's headers, or a stream's first bytes (so a stream that fails before them can still fall back).
    /// Every call made is added to <paramref name="log"/>; a failure throws a classified <see cref="SwitchboardException"/>.
    /// </summary>
    internal async Task<UpstreamResult> AttemptAsync(ModelResolution target, ReadOnlyMemory<byte> body, bool stream, TimeSpan timeout, AttemptLog log,
        IReadOnlyList<KeyValuePair<string, string>>? clientHeaders, CancellationToken cancellationToken)
    {
        var deployment = _deployments.Get(target.Provider.Name, target.Model);
        var state = new AttemptState(this, deployment, target, body, stream, timeout, log, clientHeaders);
        try
        {
            return await deployment.Pipeline.ExecuteAsync(static (state, token) => state.Executor.TryAsync(state, token), state, cancellationToken);
        }
        catch (BrokenCircuitException e)
        {
            log.Add(new Attempt(target.Provider.Name, target.Model, Attempt.CircuitOpen, TimeSpan.Zero));
            throw CircuitOpen(target, e.RetryAfter, log.Count);
        }
    }

    private async ValueTask<UpstreamResult> TryAsync(AttemptState state, CancellationToken cancellationToken)
    {
        var (target, deployment, log) = (state.Target, state.Deployment, state.Log);
        var health = _deployments.Health(target.Provider.Name);
        var started = _time.GetTimestamp();
        using var span = SwitchboardTracing.Source.StartActivity("attempt", System.Diagnostics.ActivityKind.Client);
        span?.SetTag("switchboard.provider", target.Provider.Name);
        span?.SetTag("switchboard.model", target.Model);
        deployment.Started();
        UpstreamResult? result = null;
        try
        {
            result = await SendAsync(target, state.Body, state.Stream, cancellationToken, state.ClientHeaders, log, state.Timeout);
            if (!result.Response.IsSuccess) throw await UpstreamErrors.ReadAsync(result, result.Token);
            if (state.Stream) await ReadFirstBytesAsync(result, state.Timeout, cancellationToken);
            var elapsed = _time.GetElapsedTime(started);
            log.Add(new Attempt(target.Provider.Name, target.Model, Attempt.Ok, elapsed));
            span?.SetTag("switchboard.outcome", Attempt.Ok);
            deployment.RecordFirstByte(elapsed);
            health.Record(ok: true, elapsed);
            result.Log = log;
            result.OnDispose = deployment.Finished;
            return result;
        }
        catch (SwitchboardException error)
        {
            result?.Dispose();
            deployment.Finished();
            var elapsed = _time.GetElapsedTime(started);
            var outcome = Attempt.OutcomeOf(error);
            log.Add(new Attempt(target.Provider.Name, target.Model, outcome, elapsed));
            span?.SetTag("switchboard.outcome", outcome);
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.Category.ToString());
            if (error.Category is not (ErrorCategory.BadRequest or ErrorCategory.NotFound or ErrorCategory.ContextWindowExceeded or ErrorCategory.ContentPolicy))
                health.Record(ok: false, elapsed);
            throw;
        }
        catch
        {
            result?.Dispose();
            deployment.Finished();
            throw;
        }
    }

    /// <summary>Waits for a stream's first bytes within the attempt's timeout, and keeps them for the reader.</summary>
    private static async Task ReadFirstBytesAsync(UpstreamResult result, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FirstReadSize);
        int read;
        try
        {
            read = await result.Response.Body.ReadAsync(buffer, result.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw TimedOut(result.Target, result.Attempts, timeout, stream: true);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the stream broke off before its first byte (" + e.Message + ")");
        }
        if (read == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the stream ended before its first byte");
        }
        result.Response.Prepend(buffer, read);
    }

    /// <summary>
    /// One call to a provider, with no retries or circuit: picks a key, sends, and when the provider refuses or rate
    /// limits that key, rests it and tries the next one. Returns once headers arrive, whatever the status; only
    /// failures to get an answer throw.
    /// </summary>
    /// <param name="clientHeaders">Headers of the client's request that go along with an untranslated body (see <see cref="UpstreamCall.ClientHeaders"/>).</param>
    /// <param name="log">Where the keys tried and refused are recorded, when the caller keeps a log.</param>
    /// <param name="timeout">The attempt's timeout; by default <see cref="TimeoutFor"/>.</param>
    public async Task<UpstreamResult> SendAsync(ModelResolution target, ReadOnlyMemory<byte> body, bool stream, CancellationToken cancellationToken,
        IReadOnlyList<KeyValuePair<string, string>>? clientHeaders = null, AttemptLog? log = null, TimeSpan? timeout = null)
    {
        var provider = target.Provider;
        var adapter = provider.Adapter!;
        var limit = timeout ?? TimeoutFor(stream);
        var tries = Math.Max(1, provider.Credentials.Count);
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var key = provider.Credentials.Next();
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(limit);
            var tried = _time.GetTimestamp();
            UpstreamResponse response;
            try
            {
                response = await adapter.SendAsync(new UpstreamCall(provider, key, target.Model, body, stream) { ClientHeaders = clientHeaders ?? [] }, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                deadline.Dispose();
                throw TimedOut(target, Count(log, attempt), limit, stream);
            }
            catch (HttpRequestException e)
            {
                deadline.Dispose();
                throw Unreachable(target, Count(log, attempt), e);
            }

            if (key is not null && response.StatusCode is 401 or 403 or 429)
            {
                var rest = response.StatusCode == 429 ? Clamp(response.RetryAfter ?? RateLimitRest) : RefusedRest;
                provider.Credentials.Rest(key, rest);
                if (attempt < tries && provider.Credentials.Available > 0)
                {
                    var outcome = (response.StatusCode == 429 ? "rate_limited:" : "authentication:") + response.StatusCode;
                    log?.Add(new Attempt(provider.Name, target.Model, outcome, _time.GetElapsedTime(tried)));
                    response.Dispose();
                    deadline.Dispose();
                    continue;
                }
            }
            return new UpstreamResult(target, response, Count(log, attempt), _time.GetElapsedTime(started), deadline);
        }
    }

    /// <summary>The calls made so far, this one included: the log's when there is one, which spans retries and fallbacks.</summary>
    private static int Count(AttemptLog? log, int attempt) => log is null ? attempt : log.Count + 1;

    /// <summary>The error for a call the timeout ended, at whatever stage.</summary>
    /// <param name="stream">Whether the call streamed, which decides the setting that bounded it.</param>
    public static SwitchboardException TimedOut(ModelResolution target, int attempts, TimeSpan timeout, bool stream) =>
        new(ErrorCategory.Timeout, 504,
            $"{target.Provider.Descriptor.DisplayName} did not answer within {timeout.TotalSeconds:0.###}s for model {target.Model}. If the model needs longer, raise " +
            (stream ? "resilience.timeout (to a stream's first byte)" : "resilience.response_timeout (to a whole answer)") + " in switchboard.yaml.",
            code: "upstream_timeout")
        {
            Attempts = attempts,
            Provider = target.Provider.Name,
        };

    private static SwitchboardException CircuitOpen(ModelResolution target, TimeSpan? retryAfter, int attempts) =>
        new(ErrorCategory.Unavailable, 503,
            $"{target.Provider.Name}/{target.Model} is failing, so Switchboard stopped calling it for a while (its circuit is open)" +
            (retryAfter is { } after ? $"; it will be tried again in about {Math.Ceiling(after.TotalSeconds):0}s." : "."),
            code: DeploymentRegistry.CircuitOpenCode)
        {
            Attempts = attempts,
            Provider = target.Provider.Name,
            RetryAfter = retryAfter,
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

    private sealed record AttemptState(ChatExecutor Executor, Deployment Deployment, ModelResolution Target, ReadOnlyMemory<byte> Body, bool Stream,
        TimeSpan Timeout, AttemptLog Log, IReadOnlyList<KeyValuePair<string, string>>? ClientHeaders);
}
