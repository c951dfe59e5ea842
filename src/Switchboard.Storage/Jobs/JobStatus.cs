namespace Switchboard.Storage.Jobs;

/// <summary>Where a job is in its life: pending → running → succeeded, failed or cancelled.</summary>
public enum JobStatus
{
    /// <summary>Stored and waiting for a worker.</summary>
    Pending,

    /// <summary>A worker holds its lease and is running it.</summary>
    Running,

    /// <summary>Finished with an answer.</summary>
    Succeeded,

    /// <summary>Finished with an error.</summary>
    Failed,

    /// <summary>Cancelled before it finished.</summary>
    Cancelled,
}
