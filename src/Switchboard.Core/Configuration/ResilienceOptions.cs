namespace Switchboard.Configuration;

/// <summary>The <c>resilience:</c> section.</summary>
public sealed record ResilienceOptions
{
    /// <summary>How long one upstream call may take to answer (to its headers, for a stream).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);
}
