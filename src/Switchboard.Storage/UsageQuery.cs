namespace Switchboard.Storage;

/// <summary>
/// Which usage to aggregate and how to group it. Every filter left null matches everything; the filters that
/// are set must all match.
/// </summary>
public sealed record UsageQuery
{
    /// <summary>The columns to group by, in the order rows are sorted. Empty: one row with the totals.</summary>
    public IReadOnlyList<UsageDimension> GroupBy { get; init; } = [];

    /// <summary>The first instant included.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The first instant no longer included (the range is half open, so days and months tile).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only requests made with this virtual key id.</summary>
    public string? KeyId { get; init; }

    /// <summary>Only requests that named this route.</summary>
    public string? Route { get; init; }

    /// <summary>Only requests from this agent.</summary>
    public string? Agent { get; init; }

    /// <summary>Only requests answered by this provider.</summary>
    public string? Provider { get; init; }

    /// <summary>Only requests answered by this model.</summary>
    public string? Model { get; init; }

    /// <summary>Only requests for this end user.</summary>
    public string? User { get; init; }
}
