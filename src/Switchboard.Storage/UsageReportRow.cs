namespace Switchboard.Storage;

/// <summary>
/// One group of a usage report: the group's values (null for a dimension not grouped by, and for a request
/// that had no value there) and what its requests used.
/// </summary>
public sealed record UsageReportRow
{
    /// <summary>The provider, when grouped by <see cref="UsageDimension.Provider"/>.</summary>
    public string? Provider { get; init; }

    /// <summary>The model, when grouped by <see cref="UsageDimension.Model"/>.</summary>
    public string? Model { get; init; }

    /// <summary>The virtual key id, when grouped by <see cref="UsageDimension.Key"/>.</summary>
    public string? KeyId { get; init; }

    /// <summary>The end user, when grouped by <see cref="UsageDimension.User"/>.</summary>
    public string? User { get; init; }

    /// <summary>The agent, when grouped by <see cref="UsageDimension.Agent"/>.</summary>
    public string? Agent { get; init; }

    /// <summary>The stage, when grouped by <see cref="UsageDimension.Stage"/>.</summary>
    public string? Stage { get; init; }

    /// <summary>The route, when grouped by <see cref="UsageDimension.Route"/>.</summary>
    public string? Route { get; init; }

    /// <summary>The UTC day, when grouped by <see cref="UsageDimension.Day"/>.</summary>
    public DateOnly? Day { get; init; }

    /// <summary>How many requests.</summary>
    public long Requests { get; init; }

    /// <summary>How many of them failed (status 400 or above).</summary>
    public long Errors { get; init; }

    /// <summary>Prompt tokens, cached reads and cache writes included.</summary>
    public long InputTokens { get; init; }

    /// <summary>Prompt tokens read from a cache.</summary>
    public long CachedInputTokens { get; init; }

    /// <summary>Prompt tokens written to a cache.</summary>
    public long CacheWriteTokens { get; init; }

    /// <summary>Completion tokens, reasoning included.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Reasoning tokens within <see cref="OutputTokens"/>.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>The sum of the known costs in USD. Requests of unknown price add nothing here; see <see cref="UnknownCostRequests"/>.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>How many requests had no known price: when not zero, <see cref="CostUsd"/> is a lower bound.</summary>
    public long UnknownCostRequests { get; init; }

    /// <summary>How many requests' tokens were estimated because the upstream sent no usage.</summary>
    public long EstimatedUsageRequests { get; init; }
}
