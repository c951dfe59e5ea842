namespace Switchboard.Configuration;

/// <summary>One budget of the <c>budgets:</c> section: so many USD per period, for a provider or a model.</summary>
public sealed record BudgetOptions
{
    /// <summary>The periods a budget may have: a UTC day, a week from Monday, a calendar month, or all time.</summary>
    public static IReadOnlyList<string> Periods { get; } = ["day", "week", "month", "total"];

    /// <summary>Spend allowed in each window, in USD.</summary>
    public required decimal Usd { get; init; }

    /// <summary>One of <see cref="Periods"/>.</summary>
    public string Period { get; init; } = "month";
}
