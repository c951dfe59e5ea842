using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Switchboard.Configuration;

namespace Switchboard.Resilience;

/// <summary>
/// The deployments called so far, each with its resilience pipeline (retries, then a circuit breaker), and each
/// provider's health. Shared by every request, so what one request learns about a deployment the next one uses.
/// </summary>
public sealed class DeploymentRegistry
{
    private readonly ConcurrentDictionary<(string Provider, string Model), Deployment> _deployments = new();
    private readonly ConcurrentDictionary<string, ProviderHealth> _health = new(StringComparer.OrdinalIgnoreCase);
    private readonly ResilienceOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<(string, string), Deployment> _create;
    private readonly Func<string, ProviderHealth> _createHealth;

    public DeploymentRegistry(ResilienceOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _create = key => Create(key.Item1, key.Item2);
        _createHealth = name => new ProviderHealth(name, _time);
    }

    public Deployment Get(string provider, string model) => _deployments.GetOrAdd((provider, model), _create);

    /// <summary>The deployment if it has been called, without creating it.</summary>
    public Deployment? Find(string provider, string model) => _deployments.GetValueOrDefault((provider, model));

    public IEnumerable<Deployment> Deployments => _deployments.Values;

    internal ProviderHealth Health(string provider) => _health.GetOrAdd(provider, _createHealth);

    /// <summary>The provider's status for rules: <c>healthy</c>, <c>degraded</c> or <c>down</c>.</summary>
    public string Status(string provider) => Report(provider).Status;

    public ProviderHealthReport Report(string provider)
    {
        var open = 0;
        foreach (var deployment in _deployments.Values)
        {
            if (deployment.IsOpen && string.Equals(deployment.Provider, provider, StringComparison.OrdinalIgnoreCase)) open++;
        }
        return Health(provider).Report(open);
    }

    private Deployment Create(string provider, string model)
    {
        var circuit = new CircuitBreakerStateProvider();
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time, Name = provider + "/" + model };
        if (_options.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is SwitchboardException error && Retryable(error)),
                MaxRetryAttempts = _options.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryDelay,
                MaxDelay = _options.MaxRetryDelay,
                // The provider knows best when it will have room again; its Retry-After beats our backoff.
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is SwitchboardException { RetryAfter: { } after } ? (TimeSpan?)Max(after, TimeSpan.Zero) : null),
            });
        }
        var breaker = _options.CircuitBreaker;
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is SwitchboardException error && Breaks(error)),
            FailureRatio = breaker.FailureRatio,
            MinimumThroughput = breaker.MinimumRequests,
            SamplingDuration = Max(breaker.SamplingWindow, TimeSpan.FromMilliseconds(500)),
            BreakDuration = Max(breaker.Break, TimeSpan.FromMilliseconds(500)),
            StateProvider = circuit,
        });
        return new Deployment(provider, model, builder.Build(), circuit);
    }

    /// <summary>
    /// Worth calling the same deployment again: the failure passes with time. A rate limit whose wait is longer
    /// than <see cref="ResilienceOptions.MaxRetryDelay"/> is left to the fallback, which does not have to wait.
    /// </summary>
    private bool Retryable(SwitchboardException error) => error.Category switch
    {
        ErrorCategory.RateLimited => error.RetryAfter is not { } after || after <= _options.MaxRetryDelay,
        ErrorCategory.Timeout or ErrorCategory.Unavailable => error.Code != CircuitOpenCode,
        _ => false,
    };

    /// <summary>
    /// Failures that say the deployment is in trouble. A rate limit is not one: the deployment is up, and opening the
    /// circuit would turn a short wait into a long refusal.
    /// </summary>
    private static bool Breaks(SwitchboardException error) => error.Category is ErrorCategory.Timeout or ErrorCategory.Unavailable;

    internal const string CircuitOpenCode = "circuit_open";

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
