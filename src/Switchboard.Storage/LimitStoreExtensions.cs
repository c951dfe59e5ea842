namespace Switchboard.Storage;

/// <summary>Shorter forms of the <see cref="ILimitStore"/> calls for one scope.</summary>
public static class LimitStoreExtensions
{
    /// <summary>Adds spend to one scope's ledger for every period; returns its new spend per period (day, week, month, total).</summary>
    public static Task<IReadOnlyList<PeriodSpend>> AddSpendAsync(this ILimitStore store, SpendScope scope, decimal usd, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.AddSpendAsync([scope], usd, time, cancellationToken);
    }
}
