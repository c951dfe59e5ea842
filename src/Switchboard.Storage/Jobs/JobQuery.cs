namespace Switchboard.Storage.Jobs;

/// <summary>Which jobs to list, newest first; every filter left null matches all.</summary>
public sealed record JobQuery
{
    /// <summary>The most a list may hold.</summary>
    public const int MaxLimit = 500;

    /// <summary>Jobs in this status.</summary>
    public JobStatus? Status { get; init; }

    /// <summary>Jobs asking for this model name, or sent to this route.</summary>
    public string? Model { get; init; }

    /// <summary>Jobs of this batch, in their order instead of newest first.</summary>
    public string? BatchId { get; init; }

    /// <summary>How many to return, 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 50;
}
