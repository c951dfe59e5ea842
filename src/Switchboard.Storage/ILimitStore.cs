namespace Switchboard.Storage;

/// <summary>
/// Spend ledgers and rate counters, kept in the store so that every gateway process sharing it enforces one
/// budget and one limit. Each call is one atomic statement: two processes adding at once both count.
/// </summary>
public interface ILimitStore
{
    /// <summary>
    /// Adds <paramref name="usd"/> spent at <paramref name="time"/> to each scope's ledger, for every period
    /// (day, week, month and total) at once, so a budget of any period can be checked later. Returns the new
    /// spend of each scope in each period, scope by scope in the order given, periods in the order of
    /// <see cref="BudgetPeriods.All"/>. Add only known costs: an unknown price is not zero.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="usd"/> is negative.</exception>
    Task<IReadOnlyList<PeriodSpend>> AddSpendAsync(IReadOnlyList<SpendScope> scopes, decimal usd, DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>What <paramref name="scope"/> has spent in the window of <paramref name="period"/> that contains <paramref name="time"/>, and when that window resets.</summary>
    Task<PeriodSpend> GetSpendAsync(SpendScope scope, BudgetPeriod period, DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="amount"/> (1 for a request, the tokens for a token limit) to the counter's window
    /// of the minute that contains <paramref name="time"/> and returns the new count. Windows older than the
    /// previous minute are deleted as time moves on.
    /// </summary>
    /// <remarks>
    /// For requests per minute: increment before calling upstream and refuse when <see cref="RateWindow.Exceeds"/>
    /// the limit (the refused request stays counted, so a client that keeps knocking stays refused until the
    /// window resets). For tokens per minute: read with <see cref="GetRateAsync"/> before, refuse when the limit
    /// is already reached, and add the tokens used after.
    /// </remarks>
    Task<RateWindow> IncrementRateAsync(RateScope scope, long amount, DateTimeOffset time, CancellationToken cancellationToken = default);

    /// <summary>The counter's count in the minute that contains <paramref name="time"/>, without changing it.</summary>
    Task<RateWindow> GetRateAsync(RateScope scope, DateTimeOffset time, CancellationToken cancellationToken = default);
}
