namespace Switchboard.Storage;

/// <summary>
/// Aggregated usage: one row per group, sorted by the grouped columns in order (days ascending, text
/// ordinally, missing values last), and the totals over all of them. Serializes with
/// <see cref="StorageJsonContext"/>; CSV or tables are the caller's to render.
/// </summary>
public sealed record UsageReport
{
    /// <summary>The columns the rows are grouped by.</summary>
    public required IReadOnlyList<UsageDimension> GroupBy { get; init; }

    /// <summary>The first instant included, when the query had one.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The first instant not included, when the query had one.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>One row per group; empty when nothing matched.</summary>
    public required IReadOnlyList<UsageReportRow> Rows { get; init; }

    /// <summary>The sums over all rows, with no group values.</summary>
    public required UsageReportRow Totals { get; init; }
}
