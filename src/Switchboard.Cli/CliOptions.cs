using System.CommandLine;
using System.Globalization;

namespace Switchboard.Cli;

/// <summary>Options several commands share; each command gets its own instance, as System.CommandLine requires.</summary>
internal static class CliOptions
{
    public static Option<string?> Config() => new("--config", "-c")
    {
        Description = "The config file to use. Default: ./switchboard.yaml when it exists; without one, providers are enabled by whichever key variables are set.",
        HelpName = "FILE",
    };

    /// <summary>
    /// A number option with a range. Parsing and the range check are one step, so a value that is not a number
    /// and one out of range are both a usage error that names the option (a separate validator would run on the
    /// unparsed value and throw).
    /// </summary>
    public static Option<double?> Number(string name, double min, double max, params string[] aliases) => new(name, aliases)
    {
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            var text = result.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number from {min} to {max}, not '{text}'."));
            return null;
        },
    };

    /// <inheritdoc cref="Number"/>
    public static Option<int?> Integer(string name, int min, int max, params string[] aliases) => new(name, aliases)
    {
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            var text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
            result.AddError(max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number of at least {min}, not '{text}'.")
                : string.Create(CultureInfo.InvariantCulture, $"{name} must be a whole number from {min} to {max}, not '{text}'."));
            return null;
        },
    };
}
