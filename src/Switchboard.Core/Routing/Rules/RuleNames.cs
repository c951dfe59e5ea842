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
        Closest(word, Values, Math.Min(Math.Max(2, word.Length / 3), word.Length - 1));

    /// <summary>The word operator closest to <paramref name="word"/>, if one is close enough to be a typo.</summary>
    public static string? ClosestOperator(string word) =>
        // Stricter: the operators are short, and a word after a value is as likely a missing `and` as a typo.
        Closest(word, Operators, Math.Max(1, word.Length / 4));

    private static string? Closest(string word, string[] candidates, int allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(word, candidate);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>
    /// Edit distance counting a swap of two neighbours as one edit (<c>adn</c> is one from <c>and</c>), ignoring
    /// case so <c>Priority</c> still finds <c>priority</c>.
    /// </summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = Same(a[i - 1], b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && Same(a[i - 1], b[j - 2]) && Same(a[i - 2], b[j - 1]))
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static bool Same(char a, char b) => char.ToLowerInvariant(a) == char.ToLowerInvariant(b);
}
