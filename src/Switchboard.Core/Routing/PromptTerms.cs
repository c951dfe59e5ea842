using System.Text;

namespace Switchboard.Routing;

/// <summary>
/// The words and phrases <see cref="PromptAnalyzer"/> looks for in the task, each a concept with the spellings that
/// mean it. A spelling ending in <c>*</c> matches any ending (<c>scalab*</c>: scalable, scalability); any other must
/// end where the word does (<c>then</c> is not <c>thence</c>). All match at the start of a word, ignoring ASCII case.
/// </summary>
internal static class PromptTerms
{
    /// <summary>What a concept says about the task.</summary>
    public enum Kind
    {
        /// <summary>Design and architecture: the task weighs a system, not a snippet.</summary>
        Architecture,

        /// <summary>The task is about code.</summary>
        Coding,

        /// <summary>The task has several steps.</summary>
        Steps,

        /// <summary>The answer is asked to be long or thorough.</summary>
        Depth,
    }

    /// <param name="Shown">How a routing decision names it.</param>
    public sealed record Concept(string Shown, Kind Kind, string[] Spellings);

    public static readonly IReadOnlyList<Concept> Concepts =
    [
        new("architecture", Kind.Architecture, ["architect*"]),
        new("design", Kind.Architecture, ["design*"]),
        new("refactor", Kind.Architecture, ["refactor*"]),
        new("trade-off", Kind.Architecture, ["trade-off*", "tradeoff*", "trade off*"]),
        new("scalability", Kind.Architecture, ["scalab*"]),
        new("distributed", Kind.Architecture, ["distributed"]),
        new("concurrency", Kind.Architecture, ["concurren*", "race condition*", "thread-safe*", "thread safe*", "deadlock*"]),
        new("migration", Kind.Architecture, ["migrat*"]),
        new("security", Kind.Architecture, ["secur*", "vulnerab*"]),
        new("microservices", Kind.Architecture, ["microservice*"]),
        new("fault tolerance", Kind.Architecture, ["fault toleran*", "fault-toleran*", "high availability", "failover"]),
        new("performance", Kind.Architecture, ["performance", "optimi*", "latency", "throughput"]),
        new("schema", Kind.Architecture, ["schema*", "data model*"]),

        new("implement", Kind.Coding, ["implement*"]),
        new("function", Kind.Coding, ["function*", "method*"]),
        new("class", Kind.Coding, ["class", "classes", "interface*"]),
        new("code", Kind.Coding, ["code", "coding"]),
        new("algorithm", Kind.Coding, ["algorithm*"]),
        new("debug", Kind.Coding, ["debug*", "bug", "bugs", "stack trace*", "exception*"]),
        new("tests", Kind.Coding, ["unit test*", "test case*", "test suite*"]),
        new("API", Kind.Coding, ["api", "apis", "endpoint*"]),
        new("SQL", Kind.Coding, ["sql", "query", "queries"]),

        new("step", Kind.Steps, ["step*"]),
        new("first", Kind.Steps, ["first", "firstly"]),
        new("then", Kind.Steps, ["then"]),
        new("next", Kind.Steps, ["next"]),
        new("after that", Kind.Steps, ["after that", "afterwards", "afterward"]),
        new("finally", Kind.Steps, ["finally", "lastly"]),

        new("in detail", Kind.Depth, ["in detail", "detailed"]),
        new("in depth", Kind.Depth, ["in depth", "in-depth"]),
        new("comprehensive", Kind.Depth, ["comprehensive*", "exhaustive*", "thorough*"]),
        new("complete implementation", Kind.Depth, ["complete implementation", "full implementation", "fully working", "fully-working"]),
        new("production-ready", Kind.Depth, ["production-ready", "production ready", "production-grade", "production grade"]),
        new("end-to-end", Kind.Depth, ["end-to-end", "end to end"]),
    ];

    /// <summary>The bits of the concepts of each <see cref="Kind"/>, for <see cref="TextSignals.Terms"/>.</summary>
    public static ulong MaskOf(Kind kind) => Masks[(int)kind];

    private static readonly ulong[] Masks = BuildMasks();

    // Spellings by their first two letters (26 × 26 lists, most empty), so most words are turned away by one lookup
    // and the rest are compared with one or two spellings, not all of them.
    private static readonly Spelling[][] ByFirstTwoLetters = BuildIndex();

    /// <summary>The bit of the concept a spelling of which starts <paramref name="text"/>, which starts with a letter; or 0.</summary>
    public static ulong Match(ReadOnlySpan<byte> text)
    {
        if (text.Length < 3) return 0;
        var second = (uint)((text[1] | 0x20) - 'a');
        if (second > 'z' - 'a') return 0;
        foreach (var spelling in ByFirstTwoLetters[((text[0] | 0x20) - 'a') * 26 + (int)second])
        {
            var expected = spelling.Text;
            if (text.Length < expected.Length) continue;
            // Spellings are lower case letters, spaces and hyphens, which OR 0x20 leaves alone; the bytes a JSON string
            // could OR into a space or hyphen (0x00, 0x0D) are control characters it cannot hold unescaped.
            var k = 2;
            while (k < expected.Length && (text[k] | 0x20) == expected[k]) k++;
            if (k < expected.Length) continue;
            if (spelling.AnyEnding || text.Length == k || !TextSignals.IsLetter(text[k])) return spelling.Bit;
        }
        return 0;
    }

    private readonly record struct Spelling(byte[] Text, bool AnyEnding, ulong Bit);

    private static ulong[] BuildMasks()
    {
        if (Concepts.Count > 64) throw new InvalidOperationException("PromptTerms keeps one bit a concept in a ulong: at most 64 concepts.");
        var masks = new ulong[Enum.GetValues<Kind>().Length];
        for (var i = 0; i < Concepts.Count; i++) masks[(int)Concepts[i].Kind] |= 1UL << i;
        return masks;
    }

    private static Spelling[][] BuildIndex()
    {
        var index = new List<Spelling>[26 * 26];
        for (var i = 0; i < index.Length; i++) index[i] = [];
        for (var i = 0; i < Concepts.Count; i++)
        {
            foreach (var spelling in Concepts[i].Spellings)
            {
                var anyEnding = spelling.EndsWith('*');
                var text = Encoding.ASCII.GetBytes(anyEnding ? spelling[..^1] : spelling);
                if (text.Length < 3 || !text.All(c => c is >= (byte)'a' and <= (byte)'z' or (byte)' ' or (byte)'-') || !TextSignals.IsLetter(text[1]))
                    throw new InvalidOperationException($"PromptTerms spelling '{spelling}' must be lower case letters, spaces and hyphens, start with two letters and be three characters or more.");
                index[(text[0] - 'a') * 26 + text[1] - 'a'].Add(new Spelling(text, anyEnding, 1UL << i));
            }
        }
        return [.. index.Select(list => list.ToArray())];
    }
}
