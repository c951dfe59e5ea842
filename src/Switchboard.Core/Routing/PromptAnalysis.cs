namespace Switchboard.Routing;

/// <summary>What <see cref="PromptAnalyzer"/> makes of a request: how big its prompt is and how hard its task looks.</summary>
/// <param name="EstimatedTokens">The estimated input tokens, counted as <c>/v1/messages/count_tokens</c> counts them; a rule's <c>tokens</c>.</param>
/// <param name="Complexity">From 0 (a greeting) to 10 (a large design task with code and steps), to one decimal; a rule's <c>complexity</c>.</param>
/// <param name="Reasons">
/// What raised the score, each with its weight, such as <c>3 code blocks +1.5</c>, in the order of
/// <see cref="PromptAnalyzer"/>'s table; empty when nothing did.
/// </param>
public sealed record PromptAnalysis(int EstimatedTokens, double Complexity, IReadOnlyList<string> Reasons);
