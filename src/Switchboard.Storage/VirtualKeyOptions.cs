namespace Switchboard.Storage;

/// <summary>What a new virtual key may do. Everything is optional: an empty options object makes an unlimited key.</summary>
public sealed record VirtualKeyOptions
{
    /// <summary>A name for people (<c>team-search</c>, <c>ci</c>); not unique, not secret.</summary>
    public string? Name { get; init; }

    /// <summary>When the key stops working; null for never.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>The models the key may call; empty for all.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>The routes the key may call; empty for all.</summary>
    public IReadOnlyList<string> AllowedRoutes { get; init; } = [];

    /// <summary>Requests per minute across all gateway processes; null for no limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens (input plus output) per minute across all gateway processes; null for no limit.</summary>
    public long? TokensPerMinute { get; init; }

    /// <summary>Spend allowed per <see cref="BudgetPeriod"/> in USD; null for no budget.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>The window <see cref="BudgetUsd"/> applies to.</summary>
    public BudgetPeriod BudgetPeriod { get; init; } = BudgetPeriod.Month;

    /// <summary>Free string pairs kept with the key (owner, ticket, ...).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
