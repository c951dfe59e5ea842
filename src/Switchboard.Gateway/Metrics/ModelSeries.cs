namespace Switchboard.Gateway.Metrics;

/// <summary>Everything counted per provider and model: tokens by kind, known cost, and the two latency histograms.</summary>
internal sealed class ModelSeries
{
    /// <summary>Seconds, from a fast cached answer to a long reasoning model's stream.</summary>
    internal static readonly double[] DurationBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    /// <summary>The kinds of token, in the order of <see cref="Tokens"/>.</summary>
    internal static readonly string[] TokenKinds = ["input", "cached_input", "cache_write", "output", "reasoning"];

    public readonly long[] Tokens = new long[5];

    public double CostUsd;

    public Histogram Duration { get; } = new(DurationBounds);

    public Histogram TimeToFirstToken { get; } = new(DurationBounds);
}
