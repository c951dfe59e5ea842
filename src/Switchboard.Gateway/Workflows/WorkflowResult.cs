namespace Switchboard.Gateway.Workflows;

/// <summary>
/// A workflow run: the stages that ran, in order. A failed stage is the last one (the run stops there); when every
/// stage answered, the last stage's text is the workflow's output.
/// </summary>
internal sealed record WorkflowResult(string Workflow, IReadOnlyList<StageResult> Stages, double TotalMs)
{
    /// <summary>The stage that failed; null when every stage answered.</summary>
    public StageResult? Failed => Stages.FirstOrDefault(s => s.Outcome.Error is not null);

    /// <summary>The last stage's answer; empty when the run failed.</summary>
    public string Output => Failed is null && Stages.Count > 0 ? Stages[^1].Outcome.Text : "";

    /// <summary>The cost of every stage; null when any stage's price is unknown, so an unknown is never summed as 0.</summary>
    public decimal? CostUsd => Stages.All(s => s.Outcome.CostUsd is not null) ? Stages.Sum(s => s.Outcome.CostUsd!.Value) : null;

    public int InputTokens => Stages.Sum(s => s.Outcome.Usage?.Input ?? 0);

    public int OutputTokens => Stages.Sum(s => s.Outcome.Usage?.Output ?? 0);
}
