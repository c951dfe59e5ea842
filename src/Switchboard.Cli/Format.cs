using System.Globalization;

namespace Switchboard.Cli;

/// <summary>How numbers look in the CLI's output: the same in every culture, and an unknown never shown as 0.</summary>
internal static class Format
{
    /// <summary>Shown where the catalog has no value, so it is never mistaken for a price of 0.</summary>
    public const string Unknown = "—";

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Count(int? value) => value is { } known ? Count(known) : Unknown;

    /// <summary>A price per million tokens as the catalog has it: 0.15, 10, 0.0375.</summary>
    public static string Price(decimal? perMtok) => perMtok is { } price ? price.ToString("0.######", CultureInfo.InvariantCulture) : Unknown;

    /// <summary>A request's cost in dollars: cents for large amounts, enough digits that a tiny cost does not round to $0.</summary>
    public static string Cost(decimal dollars) =>
        dollars == 0 ? "$0" : "$" + dollars.ToString(dollars >= 0.01m ? "0.00####" : "0.############", CultureInfo.InvariantCulture);

    /// <summary>A duration in whole milliseconds: 812 ms, 1,204 ms.</summary>
    public static string Milliseconds(double ms) => Count((int)Math.Round(ms)) + " ms";
}
