using Shouldly;
using Xunit;

namespace Switchboard.Storage.Tests;

public sealed class BudgetPeriodsTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(BudgetPeriod.Day, "2026-03-04T15:00:00+00:00", "2026-03-04T00:00:00+00:00", "2026-03-05T00:00:00+00:00")]
    [InlineData(BudgetPeriod.Week, "2026-03-04T15:00:00+00:00", "2026-03-02T00:00:00+00:00", "2026-03-09T00:00:00+00:00")] // Wednesday
    [InlineData(BudgetPeriod.Week, "2026-03-08T23:59:59+00:00", "2026-03-02T00:00:00+00:00", "2026-03-09T00:00:00+00:00")] // Sunday
    [InlineData(BudgetPeriod.Week, "2026-03-09T00:00:00+00:00", "2026-03-09T00:00:00+00:00", "2026-03-16T00:00:00+00:00")] // Monday
    [InlineData(BudgetPeriod.Month, "2026-12-31T23:00:00+00:00", "2026-12-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")]
    [InlineData(BudgetPeriod.Day, "2026-03-04T01:00:00+05:00", "2026-03-03T00:00:00+00:00", "2026-03-04T00:00:00+00:00")] // an offset is read in UTC
    public void Windows_start_and_reset_on_utc_boundaries(BudgetPeriod period, string time, string start, string reset)
    {
        var at = DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture);

        BudgetPeriods.WindowStart(period, at).ShouldBe(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        BudgetPeriods.ResetsAt(period, at).ShouldBe(DateTimeOffset.Parse(reset, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Total_never_resets()
    {
        BudgetPeriods.WindowStart(BudgetPeriod.Total, Utc(2026, 3, 4)).ShouldBe(DateTimeOffset.UnixEpoch);
        BudgetPeriods.ResetsAt(BudgetPeriod.Total, Utc(2026, 3, 4)).ShouldBeNull();
    }
}
