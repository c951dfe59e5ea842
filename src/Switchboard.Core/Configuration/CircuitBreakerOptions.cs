namespace Switchboard.Configuration;

/// <summary>The <c>resilience.circuit_breaker:</c> section: when a deployment is failing enough to stop calling it for a while.</summary>
public sealed record CircuitBreakerOptions
{
    /// <summary>The share of failed calls in the sampling window that opens the circuit.</summary>
    public double FailureRatio { get; init; } = 0.5;

    /// <summary>Calls the window must hold before the ratio counts, so two early failures do not open it.</summary>
    public int MinimumRequests { get; init; } = 10;

    public TimeSpan SamplingWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit stays open before one trial call (half-open) may close it.</summary>
    public TimeSpan Break { get; init; } = TimeSpan.FromSeconds(30);
}
