namespace Switchboard.Routing.Rules;

/// <summary>
/// A routing condition that cannot be read. The message starts with the column and says what to write instead,
/// e.g. <c>column 1: unknown name 'priorty'; did you mean 'priority'?</c>.
/// </summary>
public sealed class RuleSyntaxException : Exception
{
    /// <param name="column">1-based position in the condition text; its length + 1 when the condition ended too early.</param>
    /// <param name="problem">What is wrong and what to write instead, without the column.</param>
    public RuleSyntaxException(int column, string problem)
        : base($"column {column}: {problem}") => (Column, Problem) = (column, problem);

    /// <summary>1-based position in the condition text; its length + 1 when the condition ended too early.</summary>
    public int Column { get; }

    /// <summary>The message without the <c>column N: </c> prefix, for callers that say where in their own words.</summary>
    public string Problem { get; }
}
