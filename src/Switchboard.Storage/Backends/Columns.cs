using System.Text.Json;

namespace Switchboard.Storage.Backends;

/// <summary>
/// How values are kept in columns, the same on both backends so one query fits both: times as Unix
/// milliseconds (UTC), money as whole nano-dollars (exact sums in 64-bit integers, to 1e-9 USD; a bigint holds
/// 9.2 billion USD), lists and maps as JSON text, null when empty.
/// </summary>
internal static class Columns
{
    public const long MillisecondsPerMinute = 60_000;
    public const long MillisecondsPerDay = 86_400_000;
    private const decimal NanosPerUsd = 1_000_000_000m;

    public static long ToMilliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    public static long ToNanos(decimal usd) => (long)decimal.Round(usd * NanosPerUsd, MidpointRounding.AwayFromZero);

    public static decimal FromNanos(long nanos) => nanos / NanosPerUsd;

    public static string? ToJson(IReadOnlyList<string> list) =>
        list.Count == 0 ? null : JsonSerializer.Serialize(list, ColumnJsonContext.Default.IReadOnlyListString);

    public static string? ToJson(IReadOnlyDictionary<string, string> map) =>
        map.Count == 0 ? null : JsonSerializer.Serialize(map, ColumnJsonContext.Default.IReadOnlyDictionaryStringString);

    public static IReadOnlyList<string> ListFromJson(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize(json, ColumnJsonContext.Default.StringArray) ?? [];

    public static IReadOnlyDictionary<string, string> MapFromJson(string? json) =>
        json is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize(json, ColumnJsonContext.Default.DictionaryStringString) ?? [];

    public static string ToText(BudgetPeriod period) => period switch
    {
        BudgetPeriod.Day => "day",
        BudgetPeriod.Week => "week",
        BudgetPeriod.Month => "month",
        BudgetPeriod.Total => "total",
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "unknown budget period"),
    };

    public static BudgetPeriod PeriodFromText(string text) => text switch
    {
        "day" => BudgetPeriod.Day,
        "week" => BudgetPeriod.Week,
        "month" => BudgetPeriod.Month,
        "total" => BudgetPeriod.Total,
        _ => throw new InvalidDataException($"unknown budget period '{text}' in the store"),
    };
}
