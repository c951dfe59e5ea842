namespace Switchboard.Storage;

/// <summary>What a scope has spent in the current window of a period, shared by every process on the store.</summary>
/// <param name="Scope">Whose spend.</param>
/// <param name="Period">The period.</param>
/// <param name="Usd">The spend in the window, in USD (kept to 1e-9 USD).</param>
/// <param name="WindowStart">Where the window started.</param>
/// <param name="ResetsAt">When the window ends and spend starts again from zero; null for <see cref="BudgetPeriod.Total"/>.</param>
public sealed record PeriodSpend(SpendScope Scope, BudgetPeriod Period, decimal Usd, DateTimeOffset WindowStart, DateTimeOffset? ResetsAt);
