namespace Switchboard;

/// <summary>Did-you-mean suggestions for names a user mistyped, in config keys and routing rules alike.</summary>
internal static class Spelling
{
    /// <summary>The candidate closest to <paramref name="word"/>, if it is within <paramref name="allowed"/> edits.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates, int allowed)
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
    public static int Distance(string a, string b)
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
