namespace Switchboard.Storage.Jobs;

/// <summary>A batch: many jobs submitted at once, each an ordinary durable job carrying the batch's id.</summary>
public sealed record BatchRecord
{
    /// <summary>The batch's id: <c>batch_</c> and 26 characters that sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>How many jobs the batch holds.</summary>
    public required int Total { get; init; }

    /// <summary>At most this many of the batch's jobs run at once on one gateway; null for the gateway's own limits.</summary>
    public int? Concurrency { get; init; }

    /// <summary>When the batch was stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the batch was cancelled; null unless it was.</summary>
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>When its last job finished; null while any is pending or running.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Its jobs by status.</summary>
    public required JobCounts Counts { get; init; }
}
