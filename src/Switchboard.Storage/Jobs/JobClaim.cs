namespace Switchboard.Storage.Jobs;

/// <summary>
/// A worker asking for the next job: who it is, how long its lease lasts, and which jobs it has no room for. A
/// job's lane is its provider, or its route when it names none: a worker at its limit for a lane leaves that
/// lane's jobs to others.
/// </summary>
public sealed record JobClaim
{
    /// <summary>The worker's id, unique across every process on the store.</summary>
    public required string WorkerId { get; init; }

    /// <summary>How long the job is the worker's without a renewal.</summary>
    public required TimeSpan Lease { get; init; }

    /// <summary>Only jobs of this batch; null for any job.</summary>
    public string? BatchId { get; init; }

    /// <summary>Only this job; null for any job.</summary>
    public string? JobId { get; init; }

    /// <summary>Lanes (providers, or routes) whose jobs the worker cannot take now.</summary>
    public IReadOnlyCollection<string> ExcludedLanes { get; init; } = [];

    /// <summary>Batches whose jobs the worker cannot take now (each at its own concurrency).</summary>
    public IReadOnlyCollection<string> ExcludedBatches { get; init; } = [];
}
