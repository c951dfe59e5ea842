namespace Switchboard.Storage.Jobs;

/// <summary>
/// The durable job queue: jobs and batches in the store, claimed by workers under leases. A job stored is never
/// lost; a worker that dies leaves a lease that runs out, and then another worker takes the job. Every process on
/// one database shares the queue, and each claim is atomic in the database, so no two workers hold one job.
/// Times (creation, leases) come from the store's clock.
/// </summary>
public interface IJobStore
{
    /// <summary>Stores one pending job under <paramref name="id"/> (from <see cref="JobIds.NewJobId"/>) and returns it.</summary>
    Task<JobRecord> CreateJobAsync(string id, NewJob job, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a batch and its pending jobs, in order, in one transaction: all or none. Job ids are made here; the
    /// jobs are numbered from 0 in <see cref="JobRecord.ItemIndex"/>.
    /// </summary>
    /// <param name="id">The batch's id, from <see cref="JobIds.NewBatchId"/>.</param>
    /// <param name="jobs">The batch's jobs, at least one.</param>
    /// <param name="concurrency">At most this many of its jobs at once per gateway; null for no limit of its own.</param>
    /// <param name="cancellationToken">Stops storing; nothing is stored then.</param>
    Task<BatchRecord> CreateBatchAsync(string id, IReadOnlyList<NewJob> jobs, int? concurrency, CancellationToken cancellationToken = default);

    /// <summary>The job with this id; null when there is none.</summary>
    Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>The jobs matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default);

    /// <summary>The batch with this id, with its counts; null when there is none.</summary>
    Task<BatchRecord?> GetBatchAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes the oldest job that is pending, or running under a lease that ran out, and marks it running under the
    /// worker's lease: attempts one more, started now unless it had started before. Null when there is none the
    /// claim may take. A job claimed back from a dead worker keeps its attempts: the caller decides when enough is enough.
    /// </summary>
    Task<JobRecord?> ClaimJobAsync(JobClaim claim, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the worker's lease on a running job to <paramref name="lease"/> from now. False when the worker no
    /// longer holds it (it ran out and another took it, or the job was cancelled): stop running it then.
    /// </summary>
    Task<bool> RenewLeaseAsync(string id, string workerId, TimeSpan lease, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finishes a running job the worker holds, with its result or error (JSON text). Null when the worker no longer
    /// holds it: then nothing is written, and whoever holds it (or cancelled it) decides how it ends.
    /// </summary>
    Task<JobRecord?> CompleteJobAsync(string id, string workerId, JobStatus status, string? result, string? error, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels a job that has not finished: pending or running, it is cancelled now, and a worker running it finds out
    /// at its next renewal (or at once, when the caller tells it). Returns the job as it is after; null when there is none.
    /// A finished job is returned as it was.
    /// </summary>
    Task<JobRecord?> CancelJobAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Cancels every unfinished job of a batch and marks it cancelled; null when there is no such batch.</summary>
    Task<BatchRecord?> CancelBatchAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Puts the running jobs the worker holds back to pending, for another worker to run: a clean stop.</summary>
    Task<int> ReleaseJobsAsync(string workerId, CancellationToken cancellationToken = default);
}
