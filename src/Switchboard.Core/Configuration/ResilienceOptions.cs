namespace Switchboard.Configuration;

/// <summary>The <c>resilience:</c> section: how long to wait, how often to retry, when to stop calling a deployment.</summary>
public sealed record ResilienceOptions
{
    /// <summary>How long one attempt may take to its first byte: the first bytes of a stream, the headers of anything else.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long one attempt may take to a whole, unstreamed answer. Separate from <see cref="Timeout"/> because a
    /// provider sends nothing of such an answer until the model has written all of it.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a request may take over all its attempts and fallbacks before it starts answering.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Retries of one deployment after a rate limit, timeout or unavailable answer, before falling back.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>The first retry's delay; each next one doubles it, with jitter.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait for a retry: a provider asking for a longer <c>Retry-After</c> gets a fallback instead.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(10);

    public CircuitBreakerOptions CircuitBreaker { get; init; } = new();

    /// <summary>
    /// How often to send each deployment called so far a one-token request, so its health and circuit are known
    /// between real requests; null (the default) sends none, because probes cost money.
    /// </summary>
    public TimeSpan? ProbeInterval { get; init; }
}
