using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Switchboard.Routing;

/// <summary>
/// Scores how hard a chat request's task looks, 0 to 10, and estimates its input tokens, in one pass over the body
/// (OpenAI chat completions or Anthropic Messages shape), for <c>complexity</c> routes and rules that read
/// <c>tokens</c> or <c>complexity</c>.
/// </summary>
/// <remarks>
/// <para>
/// The score is a sum of simple signals, capped at 10, each named with its weight in <see cref="PromptAnalysis.Reasons"/>.
/// Length counts the whole prompt (system, every message, tools); the words, code and lists are read in the task,
/// the last user message that has text of its own (not a turn of tool results), because that is what the model is
/// asked to do now. Terms match at the start of a word, ignoring ASCII case (see <see cref="PromptTerms"/>).
/// </para>
/// <list type="table">
/// <listheader><term>Signal</term><description>Weight</description></listheader>
/// <item><term>Length, estimated tokens of the whole prompt</term><description>500 or more +1, 2,000 or more +2, 8,000 or more +3</description></item>
/// <item><term>Fenced code blocks (<c>```</c>) in the task</term><description>the first +1, each more +0.25, at most +2; without fences, code punctuation (<c>{};=()[]&lt;&gt;</c>) making 4% or more of 120 bytes or more +1</description></item>
/// <item><term>Coding terms: implement, function, class, algorithm, debug, API, SQL …</term><description>+0.5 each, at most +1</description></item>
/// <item><term>Architecture terms: architecture, design, refactor, trade-off, scalability, distributed, concurrency, migration, security …</term><description>+0.5 each, at most +2.5</description></item>
/// <item><term>Multi-step: step, first, then, next, after that, finally; a numbered list of 3 items or more counts as two</term><description>+0.5 each, at most +2</description></item>
/// <item><term>A long answer: <c>max_tokens</c>, <c>max_completion_tokens</c> or <c>max_output_tokens</c> of 4,000 or more</term><description>+1</description></item>
/// <item><term>Depth: in detail, in depth, comprehensive, complete implementation, production-ready, end-to-end</term><description>+0.5 each, at most +1</description></item>
/// <item><term>Tools offered</term><description>1 to 3 +0.5, 4 or more +1</description></item>
/// <item><term>Turns, messages other than system ones</term><description>6 or more +0.5, 12 or more +1</description></item>
/// </list>
/// <para>
/// So a greeting scores 0, a question about a pasted function with a couple of steps lands in the middle, and a
/// design task with code, steps and a long answer reaches 7 or more. Terms are English; the signals are a
/// heuristic, meant to pick a tier, not to judge a prompt.
/// </para>
/// </remarks>
public static class PromptAnalyzer
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private const string Example = "{\"model\": \"gpt-5-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

    /// <summary>
    /// Analyses a chat request body; throws a 400 <see cref="SwitchboardException"/> that says what is wrong for an
    /// empty body, one that is not JSON, or one that is not a JSON object.
    /// </summary>
    public static PromptAnalysis Analyze(ReadOnlySpan<byte> body) =>
        Score(PromptScanner.Scan(body, $"The request body is empty. Send a JSON object such as {Example}."));

    internal static PromptAnalysis Score(in PromptScan scan)
    {
        var reasons = new List<string>(8);
        var score = 0.0;
        var task = scan.Task;
        // Each reason is written once, weight included, so it costs one string.
        Span<char> buffer = stackalloc char[256];

        var tokens = scan.EstimatedTokens;
        var length = tokens >= 8000 ? 3 : tokens >= 2000 ? 2 : tokens >= 500 ? 1 : 0;
        if (length > 0) Add(reasons, ref score, length, string.Create(Invariant, buffer, $"long prompt ({tokens:N0} tokens) +{length}"));

        var blocks = task.CodeBlocks;
        var symbolPercent = task.TextBytes == 0 ? 0 : task.CodeSymbols * 100 / task.TextBytes;
        if (blocks > 0)
        {
            var weight = Math.Min(2, 1 + 0.25 * (blocks - 1));
            Add(reasons, ref score, weight, string.Create(Invariant, buffer, $"{blocks} code block{(blocks == 1 ? "" : "s")} +{weight:0.##}"));
        }
        else if (task.TextBytes >= 120 && symbolPercent >= 4)
        {
            Add(reasons, ref score, 1, string.Create(Invariant, buffer, $"code-like text ({symbolPercent}% symbols) +1"));
        }

        AddTerms(reasons, ref score, buffer, task.Terms, PromptTerms.Kind.Coding, "coding terms: ", 1, quoted: false);
        AddTerms(reasons, ref score, buffer, task.Terms, PromptTerms.Kind.Architecture, "architecture terms: ", 2.5, quoted: false);
        AddTerms(reasons, ref score, buffer, task.Terms, PromptTerms.Kind.Steps, "multi-step: ", 2, quoted: true, listItems: task.ListItems >= 3 ? task.ListItems : 0);

        if (scan.MaxTokens >= 4000) Add(reasons, ref score, 1, string.Create(Invariant, buffer, $"asks for a long answer (max_tokens {scan.MaxTokens}) +1"));
        AddTerms(reasons, ref score, buffer, task.Terms, PromptTerms.Kind.Depth, "asks for depth: ", 1, quoted: true);

        if (scan.Tools > 0)
        {
            var weight = scan.Tools >= 4 ? 1 : 0.5;
            Add(reasons, ref score, weight, string.Create(Invariant, buffer, $"{scan.Tools} tool{(scan.Tools == 1 ? "" : "s")} +{weight:0.##}"));
        }
        if (scan.Turns >= 6)
        {
            var weight = scan.Turns >= 12 ? 1 : 0.5;
            Add(reasons, ref score, weight, string.Create(Invariant, buffer, $"{scan.Turns} turns +{weight:0.##}"));
        }

        var complexity = Math.Round(Math.Clamp(score, 0, 10), 1, MidpointRounding.AwayFromZero);
        return new PromptAnalysis(tokens, complexity, reasons);
    }

    /// <summary>
    /// Adds +0.5 for each concept of <paramref name="kind"/> found, at most <paramref name="cap"/>; a numbered list of
    /// <paramref name="listItems"/> counts as two.
    /// </summary>
    private static void AddTerms(List<string> reasons, ref double score, Span<char> buffer, ulong terms, PromptTerms.Kind kind, string label,
        double cap, bool quoted, int listItems = 0)
    {
        var found = terms & PromptTerms.MaskOf(kind);
        var count = BitOperations.PopCount(found) + (listItems > 0 ? 2 : 0);
        if (count == 0) return;
        var text = new DefaultInterpolatedStringHandler(0, 0, Invariant, buffer);
        text.AppendLiteral(label);
        var separator = "";
        for (; found != 0; found &= found - 1)
        {
            var name = PromptTerms.Concepts[BitOperations.TrailingZeroCount(found)].Shown;
            text.AppendLiteral(separator);
            if (quoted) text.AppendLiteral("\"");
            text.AppendLiteral(name);
            if (quoted) text.AppendLiteral("\"");
            separator = ", ";
        }
        if (listItems > 0)
        {
            text.AppendLiteral(separator);
            text.AppendFormatted(listItems);
            text.AppendLiteral("-item list");
        }
        var weight = Math.Min(cap, 0.5 * count);
        text.AppendLiteral(" +");
        text.AppendFormatted(weight, "0.##");
        Add(reasons, ref score, weight, text.ToStringAndClear());
    }

    private static void Add(List<string> reasons, ref double score, double weight, string reason)
    {
        score += weight;
        reasons.Add(reason);
    }
}
