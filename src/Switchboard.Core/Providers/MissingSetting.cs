namespace Switchboard.Providers;

/// <summary>A variable a provider needs that is not set, with what a value looks like.</summary>
/// <param name="Variable">The environment variable to set.</param>
/// <param name="Example">What its value looks like (<c>sk-...</c>), never a real value.</param>
/// <param name="Alternatives">Other variables that would do instead, when there are any.</param>
public sealed record MissingSetting(string Variable, string Example, IReadOnlyList<string>? Alternatives = null)
{
    /// <summary>The command that fixes it: <c>export OPENAI_API_KEY=sk-...</c>.</summary>
    public string ExportCommand => $"export {Variable}={Example}";

    /// <summary>The sentence clients see, naming the model: <c>OPENAI_API_KEY for model gpt-4o. Set it: export ...</c>.</summary>
    public string Describe(string model) =>
        $"{Variable} for model {model}. Set it: {ExportCommand}"
        + (Alternatives is { Count: > 0 } ? $" ({string.Join(" or ", Alternatives)} works too)" : "");
}
