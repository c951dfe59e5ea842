namespace Switchboard.Routing.Rules;

/// <summary>The names a condition may use, and the nearest one to a misspelling.</summary>
internal static class RuleNames
{
    private static readonly Dictionary<string, RuleField> Fields = new(StringComparer.Ordinal)
    {
        ["priority"] = RuleField.Priority,
        ["labels"] = RuleField.Labels,
        ["agent"] = RuleField.Agent,
        ["stage"] = RuleField.Stage,
        ["workflow"] = RuleField.Workflow,
        ["id"] = RuleField.Id,
        ["user"] = RuleField.User,
        ["hour"] = RuleField.Hour,
        ["weekday"] = RuleField.Weekday,
        ["tokens"] = RuleField.Tokens,
        ["complexity"] = RuleField.Complexity,
        ["retry_count"] = RuleField.RetryCount,
        ["has_tools"] = RuleField.HasTools,
        ["has_images"] = RuleField.HasImages,
        ["model"] = RuleField.Model,
        ["provider_status"] = RuleField.ProviderStatus,
        ["metadata"] = RuleField.Metadata,
    };

    // Literal keywords are suggested too: `ture` is more likely `true` than a field.
    private static readonly string[] Values = [.. Fields.Keys, "true", "false", "null"];

    private static readonly string[] Operators = ["and", "or", "not", "in", "contains", "starts_with", "ends_with"];

    /// <summary>Every name, for an error message that lists what is allowed.</summary>
    public const string Listing =
        "priority, labels, agent, stage, workflow, id, user, hour, weekday, tokens, complexity, retry_count, " +
        "has_tools, has_images, model, provider_status['name'], metadata['key']";

    public static bool TryField(string name, out RuleField field) => Fields.TryGetValue(name, out field);

    public static bool IsMap(RuleField field) => field is RuleField.ProviderStatus or RuleField.Metadata;

    /// <summary>An example of reading the map, for error messages.</summary>
    public static string Example(RuleField map) => map == RuleField.Metadata ? "metadata['team']" : "provider_status['anthropic']";

    /// <summary>The field or literal closest to <paramref name="word"/>, if one is close enough to be a typo.</summary>
    public static string? ClosestValue(string word) =>
        // The config loader's allowance (a couple of edits, more for long words), but never a rewrite of the
        // whole word: `x` is not a typo of `id`.
        Spelling.Closest(word, Values, Math.Min(Math.Max(2, word.Length / 3), word.Length - 1));

    /// <summary>The word operator closest to <paramref name="word"/>, if one is close enough to be a typo.</summary>
    public static string? ClosestOperator(string word) =>
        // Stricter: the operators are short, and a word after a value is as likely a missing `and` as a typo.
        Spelling.Closest(word, Operators, Math.Max(1, word.Length / 4));
}
