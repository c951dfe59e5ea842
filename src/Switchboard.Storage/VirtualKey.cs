namespace Switchboard.Storage;

/// <summary>
/// A virtual key as the store keeps it: what it may do, never the key itself nor its hash. The key was
/// shown once, when it was created (<see cref="CreatedVirtualKey"/>).
/// </summary>
public sealed record VirtualKey
{
    /// <summary>The key's id (<c>vk_...</c>): what usage records, reports and logs name.</summary>
    public required string Id { get; init; }

    /// <summary>The name given at creation.</summary>
    public string? Name { get; init; }

    /// <summary>The key's prefix and last four characters (<c>sk-sb-...a1B2</c>), to tell keys apart on a screen.</summary>
    public required string Hint { get; init; }

    /// <summary>When the key was created.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>When the key stops working; null for never.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>When the key was revoked; null while it is not.</summary>
    public DateTimeOffset? Revoked { get; init; }

    /// <summary>The models the key may call; empty for all.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary>The routes the key may call; empty for all.</summary>
    public IReadOnlyList<string> AllowedRoutes { get; init; } = [];

    /// <summary>Requests per minute; null for no limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens per minute; null for no limit.</summary>
    public long? TokensPerMinute { get; init; }

    /// <summary>Spend allowed per <see cref="BudgetPeriod"/> in USD; null for no budget.</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>The window <see cref="BudgetUsd"/> applies to.</summary>
    public BudgetPeriod BudgetPeriod { get; init; } = BudgetPeriod.Month;

    /// <summary>Free string pairs kept with the key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Whether the key may be used at <paramref name="now"/>, and if not, why. A revoked key says revoked even when it has also expired.</summary>
    public VirtualKeyStatus StatusAt(DateTimeOffset now)
    {
        if (Revoked is not null) return VirtualKeyStatus.Revoked;
        if (Expires is { } expires && now >= expires) return VirtualKeyStatus.Expired;
        return VirtualKeyStatus.Active;
    }

    /// <summary>True when the key may call <paramref name="model"/>: the list is empty, or names it (ignoring case).</summary>
    public bool AllowsModel(string model) => Allows(AllowedModels, model);

    /// <summary>True when the key may call <paramref name="route"/>: the list is empty, or names it (ignoring case).</summary>
    public bool AllowsRoute(string route) => Allows(AllowedRoutes, route);

    private static bool Allows(IReadOnlyList<string> allowed, string name)
    {
        if (allowed.Count == 0) return true;
        foreach (var entry in allowed)
        {
            if (string.Equals(entry, name, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
