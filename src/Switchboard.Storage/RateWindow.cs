namespace Switchboard.Storage;

/// <summary>
/// A rate counter's value in the current one-minute window, as every process on the store sees it.
/// </summary>
/// <remarks>
/// The window is fixed: it starts on the minute (UTC) and the count starts again from zero at
/// <see cref="ResetsAt"/>. A caller that refuses when <see cref="Count"/> passes the limit holds each window
/// to the limit exactly, across processes; but a client that spends its whole limit at the end of one window
/// and again at the start of the next gets up to twice the limit within some sixty seconds.
/// </remarks>
/// <param name="Scope">The counter.</param>
/// <param name="Count">The count in this window, the caller's increment included.</param>
/// <param name="WindowStart">The start of the minute.</param>
/// <param name="ResetsAt">The start of the next minute.</param>
public sealed record RateWindow(RateScope Scope, long Count, DateTimeOffset WindowStart, DateTimeOffset ResetsAt)
{
    /// <summary>How many more the limit allows in this window (never below zero): <c>x-ratelimit-remaining-*</c>.</summary>
    public long Remaining(long limit) => Math.Max(0, limit - Count);

    /// <summary>True when the count has gone past <paramref name="limit"/>: the request that made it so is to be refused.</summary>
    public bool Exceeds(long limit) => Count > limit;
}
