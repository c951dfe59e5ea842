using System.Globalization;
using System.Text;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// What <c>GET /api/usage</c> and <c>switchboard usage</c> share: reading the grouping and the time range as a
/// user writes them, and the report as CSV.
/// </summary>
public static class UsageReports
{
    /// <summary>The words <c>group_by</c> accepts, in the order the columns are documented.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["provider", "model", "key", "user", "agent", "stage", "route", "day"];

    /// <summary>The columns of counts after the grouped ones, in CSV and tables.</summary>
    public static readonly IReadOnlyList<string> CountColumns =
        ["requests", "errors", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens", "reasoning_tokens", "cost_usd", "unknown_cost_requests", "estimated_usage_requests"];

    /// <summary>Reads a comma-separated list of dimensions; null or empty is no grouping.</summary>
    /// <exception cref="FormatException">A word that is not a dimension, or one given twice; the message names the allowed words.</exception>
    public static IReadOnlyList<UsageDimension> ParseGroupBy(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var dimensions = new List<UsageDimension>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var index = IndexOf(part);
            if (index < 0) throw new FormatException($"'{part}' is not something usage can be grouped by; use a comma-separated list of {string.Join(", ", Dimensions)}.");
            var dimension = DimensionAt(index);
            if (dimensions.Contains(dimension)) throw new FormatException($"'{part}' is given twice.");
            dimensions.Add(dimension);
        }
        return dimensions;
    }

    /// <summary>
    /// Reads an ISO 8601 date (<c>2026-11-01</c>, midnight UTC) or date and time (<c>2026-11-01T12:00:00Z</c>; UTC
    /// when it names no offset).
    /// </summary>
    /// <exception cref="FormatException">Not such a date; the message shows the forms accepted.</exception>
    public static DateTimeOffset ParseTime(string text)
    {
        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (text.Length > 10 && text[4] == '-' && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
            return instant;
        throw new FormatException($"'{text}' is not an ISO 8601 date or time; write 2026-11-01 or 2026-11-01T12:00:00Z.");
    }

    /// <summary>The word for a dimension, as <c>group_by</c> takes it and as the CSV header names its column.</summary>
    public static string NameOf(UsageDimension dimension) => Dimensions[DimensionIndex(dimension)];

    /// <summary>A row's value for a dimension, as text; empty when the requests had none.</summary>
    public static string ValueOf(UsageReportRow row, UsageDimension dimension) => dimension switch
    {
        UsageDimension.Provider => row.Provider ?? "",
        UsageDimension.Model => row.Model ?? "",
        UsageDimension.Key => row.KeyId ?? "",
        UsageDimension.User => row.User ?? "",
        UsageDimension.Agent => row.Agent ?? "",
        UsageDimension.Stage => row.Stage ?? "",
        UsageDimension.Route => row.Route ?? "",
        UsageDimension.Day => row.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        _ => "",
    };

    /// <summary>The counts of a row as text, in the order of <see cref="CountColumns"/>; costs in USD with a dot.</summary>
    public static string[] CountsOf(UsageReportRow row) =>
    [
        Number(row.Requests), Number(row.Errors), Number(row.InputTokens), Number(row.CachedInputTokens), Number(row.CacheWriteTokens),
        Number(row.OutputTokens), Number(row.ReasoningTokens), row.CostUsd.ToString("0.##########", CultureInfo.InvariantCulture),
        Number(row.UnknownCostRequests), Number(row.EstimatedUsageRequests),
    ];

    /// <summary>
    /// The report as CSV (RFC 4180: CRLF line ends, fields with commas, quotes or line breaks quoted): a header, one
    /// line per group, and a last line whose first column is <c>total</c>. Without grouping there is only the total.
    /// </summary>
    public static string ToCsv(UsageReport report)
    {
        var csv = new StringBuilder();
        var first = true;
        if (report.GroupBy.Count == 0) Field(csv, "group", ref first);
        foreach (var dimension in report.GroupBy) Field(csv, NameOf(dimension), ref first);
        foreach (var column in CountColumns) Field(csv, column, ref first);
        csv.Append("\r\n");
        if (report.GroupBy.Count > 0)
        {
            foreach (var row in report.Rows)
            {
                first = true;
                foreach (var dimension in report.GroupBy) Field(csv, ValueOf(row, dimension), ref first);
                foreach (var count in CountsOf(row)) Field(csv, count, ref first);
                csv.Append("\r\n");
            }
        }
        first = true;
        Field(csv, "total", ref first);
        for (var i = 1; i < report.GroupBy.Count; i++) Field(csv, "", ref first);
        foreach (var count in CountsOf(report.Totals)) Field(csv, count, ref first);
        csv.Append("\r\n");
        return csv.ToString();
    }

    private static void Field(StringBuilder csv, string value, ref bool first)
    {
        if (!first) csv.Append(',');
        first = false;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            csv.Append(value);
            return;
        }
        csv.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static int IndexOf(string word)
    {
        for (var i = 0; i < Dimensions.Count; i++)
        {
            if (string.Equals(Dimensions[i], word, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    private static UsageDimension DimensionAt(int index) => index switch
    {
        0 => UsageDimension.Provider,
        1 => UsageDimension.Model,
        2 => UsageDimension.Key,
        3 => UsageDimension.User,
        4 => UsageDimension.Agent,
        5 => UsageDimension.Stage,
        6 => UsageDimension.Route,
        _ => UsageDimension.Day,
    };

    private static int DimensionIndex(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Provider => 0,
        UsageDimension.Model => 1,
        UsageDimension.Key => 2,
        UsageDimension.User => 3,
        UsageDimension.Agent => 4,
        UsageDimension.Stage => 5,
        UsageDimension.Route => 6,
        _ => 7,
    };
}
