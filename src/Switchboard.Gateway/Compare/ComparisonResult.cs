namespace Switchboard.Gateway.Compare;

/// <summary>Every model's answer to the same prompt, in the order the models were asked for, and the time the whole took.</summary>
internal sealed record ComparisonResult(IReadOnlyList<ModelAnswer> Answers, double TotalMs)
{
    /// <summary>True when no model answered.</summary>
    public bool AllFailed => Answers.All(a => a.Outcome.Error is not null);
}
