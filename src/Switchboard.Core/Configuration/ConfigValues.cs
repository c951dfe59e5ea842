using System.Globalization;

namespace Switchboard.Configuration;

/// <summary>Parses the value forms the config accepts for durations and sizes.</summary>
public static class ConfigValues
{
    /// <summary><c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>; a bare number is seconds.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var (number, unit) = Split(text);
        if (number is not { } n || n < 0) return null;
        return unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "" or "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => null,
        };
    }

    /// <summary><c>512KB</c>, <c>10MB</c> (powers of 1000), <c>10MiB</c> (powers of 1024); a bare number is bytes.</summary>
    public static long? ParseSize(string text)
    {
        var (number, unit) = Split(text);
        if (number is not { } n || n < 0) return null;
        double? factor = unit.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "KIB" => 1024,
            "MIB" => 1024 * 1024,
            "GIB" => 1024 * 1024 * 1024,
            _ => null,
        };
        return factor is { } f ? (long)(n * f) : null;
    }

    private static (double? Number, string Unit) Split(string text)
    {
        text = text.Trim();
        var end = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.')) end++;
        return double.TryParse(text.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? (value, text[end..].Trim())
            : (null, "");
    }

    /// <summary>A size in the largest unit that states it exactly: <c>64 KiB</c>, <c>10 MiB</c>, <c>500 KB</c>, <c>1000 bytes</c>.</summary>
    public static string FormatSize(long bytes)
    {
        foreach (var (unit, size) in new (string, long)[] { ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000) })
        {
            if (bytes >= size && bytes % size == 0) return $"{bytes / size} {unit}";
        }
        return $"{bytes} bytes";
    }
}
