namespace Switchboard.Configuration;

/// <summary>The <c>budgets:</c> section: spend limits over all traffic to a provider or a model, whatever key sent it.</summary>
public sealed record BudgetsOptions
{
    /// <summary>Budgets by provider name (<c>openai</c>, <c>openrouter</c>, a configured provider).</summary>
    public IReadOnlyDictionary<string, BudgetOptions> Providers { get; init; } = new Dictionary<string, BudgetOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Budgets by the model id sent to the provider (<c>gpt-4.1</c>, <c>claude-sonnet-4-5</c>).</summary>
    public IReadOnlyDictionary<string, BudgetOptions> Models { get; init; } = new Dictionary<string, BudgetOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when no budget is set.</summary>
    public bool IsEmpty => Providers.Count == 0 && Models.Count == 0;
}
