namespace Switchboard.Storage;

/// <summary>Where the window of a <see cref="BudgetPeriod"/> starts and ends, in UTC.</summary>
public static class BudgetPeriods
{
    /// <summary>Every period, in the order the ledger keeps them.</summary>
    public static IReadOnlyList<BudgetPeriod> All { get; } = [BudgetPeriod.Day, BudgetPeriod.Week, BudgetPeriod.Month, BudgetPeriod.Total];

    /// <summary>The start of the window that contains <paramref name="time"/>; the Unix epoch for <see cref="BudgetPeriod.Total"/>.</summary>
    public static DateTimeOffset WindowStart(BudgetPeriod period, DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        var day = new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
        return period switch
        {
            BudgetPeriod.Day => day,
            // DayOfWeek counts from Sunday; the budget week starts on Monday.
            BudgetPeriod.Week => day.AddDays(-(((int)utc.DayOfWeek + 6) % 7)),
            BudgetPeriod.Month => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            BudgetPeriod.Total => DateTimeOffset.UnixEpoch,
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "unknown budget period"),
        };
    }

    /// <summary>When the window that contains <paramref name="time"/> ends and the spend starts again from zero; null for <see cref="BudgetPeriod.Total"/>.</summary>
    public static DateTimeOffset? ResetsAt(BudgetPeriod period, DateTimeOffset time)
    {
        var start = WindowStart(period, time);
        return period switch
        {
            BudgetPeriod.Day => start.AddDays(1),
            BudgetPeriod.Week => start.AddDays(7),
            BudgetPeriod.Month => start.AddMonths(1),
            _ => null,
        };
    }
}
