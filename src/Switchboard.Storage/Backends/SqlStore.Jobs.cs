using System.Data.Common;
using System.Text;
using Switchboard.Storage.Jobs;

namespace Switchboard.Storage.Backends;

/// <summary>The job queue, in the same SQL on both backends but for the claim's row lock.</summary>
internal abstract partial class SqlStore
{
    private const string JobColumns =
        "id, batch_id, item_index, status, provider, model_name, route, request, metadata, webhook, created_ms, started_ms, finished_ms, attempts, lease_owner, lease_until_ms, result, error";

    private const string InsertJobSql =
        $"INSERT INTO jobs ({JobColumns}) VALUES (@id, @batch, @index, 'pending', @provider, @model, @route, @request, @metadata, @webhook, @created, NULL, NULL, 0, NULL, NULL, NULL, NULL)";

    private const string Unfinished = "status IN ('pending', 'running')";

    /// <summary>
    /// What the claim's inner select adds to lock the row it picks and pass over rows other claimers have locked
    /// (PostgreSQL's <c>FOR UPDATE SKIP LOCKED</c>); empty where one writer at a time makes the claim atomic anyway (SQLite).
    /// </summary>
    protected abstract string ClaimLock { get; }

    public async Task<JobRecord> CreateJobAsync(string id, NewJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(job);
        var created = Columns.ToMilliseconds(Time.GetUtcNow());
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, InsertJobSql);
        AddJob(command, id, job, null, null, created);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return Pending(id, job, null, null, created);
    }

    public async Task<BatchRecord> CreateBatchAsync(string id, IReadOnlyList<NewJob> jobs, int? concurrency, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(jobs);
        if (jobs.Count == 0) throw new ArgumentException("A batch needs at least one job.", nameof(jobs));
        if (concurrency is < 1) throw new ArgumentException("A batch's concurrency must be at least 1.", nameof(concurrency));
        var now = Time.GetUtcNow();
        var created = Columns.ToMilliseconds(now);
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = Command(connection, transaction, "INSERT INTO batches (id, created_ms, total, concurrency, cancelled_ms) VALUES (@id, @created, @total, @concurrency, NULL)"))
        {
            Add(batch, "@id", id);
            Add(batch, "@created", created);
            Add(batch, "@total", jobs.Count);
            Add(batch, "@concurrency", concurrency);
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        for (var i = 0; i < jobs.Count; i++)
        {
            await using var command = Command(connection, transaction, InsertJobSql);
            AddJob(command, JobIds.NewJobId(now), jobs[i], id, i, created);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new BatchRecord
        {
            Id = id,
            Total = jobs.Count,
            Concurrency = concurrency,
            CreatedAt = Columns.FromMilliseconds(created),
            Counts = new JobCounts(jobs.Count, 0, 0, 0, 0),
        };
    }

    public async Task<JobRecord?> GetJobAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = @id");
        Add(command, "@id", id);
        return await ReadJobAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<JobRecord>> ListJobsAsync(JobQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, JobQuery.MaxLimit);
        var sql = new StringBuilder($"SELECT {JobColumns} FROM jobs WHERE 1 = 1");
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        if (query.Status is { } status) Filter(command, sql, "status = @status", "@status", JobStatuses.ToText(status));
        if (query.Model is { } model) Filter(command, sql, "(model_name = @model OR route = @model)", "@model", model);
        if (query.BatchId is { } batch) Filter(command, sql, "batch_id = @batch", "@batch", batch);
        // A batch's jobs read in their order; any other list newest first.
        sql.Append(query.BatchId is null ? " ORDER BY created_ms DESC, id DESC" : " ORDER BY item_index");
        sql.Append(" LIMIT @limit");
        Add(command, "@limit", query.Limit);
        command.CommandText = sql.ToString();
        var jobs = new List<JobRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) jobs.Add(ReadJob(reader));
        return jobs;
    }

    public async Task<BatchRecord?> GetBatchAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        return await ReadBatchAsync(connection, id, cancellationToken);
    }

    public async Task<JobRecord?> ClaimJobAsync(JobClaim claim, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Lease <= TimeSpan.Zero) throw new ArgumentException("A lease must be longer than 0.", nameof(claim));
        var now = Time.GetUtcNow();
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var candidates = new StringBuilder($"SELECT id FROM jobs WHERE (status = 'pending' OR (status = 'running' AND lease_until_ms < @now))");
        if (claim.BatchId is { } batch)
        {
            candidates.Append(" AND batch_id = @batch");
            Add(command, "@batch", batch);
        }
        if (claim.JobId is { } job)
        {
            candidates.Append(" AND id = @job");
            Add(command, "@job", job);
        }
        if (claim.ExcludedLanes.Count > 0)
            candidates.Append(" AND COALESCE(provider, route, '') NOT IN (").Append(Parameters(command, "@lane", claim.ExcludedLanes)).Append(')');
        if (claim.ExcludedBatches.Count > 0)
            candidates.Append(" AND (batch_id IS NULL OR batch_id NOT IN (").Append(Parameters(command, "@skip", claim.ExcludedBatches)).Append("))");
        candidates.Append(" ORDER BY created_ms, item_index, id LIMIT 1").Append(ClaimLock);
        command.CommandText = $"""
            UPDATE jobs SET status = 'running', lease_owner = @owner, lease_until_ms = @until, attempts = attempts + 1,
                started_ms = COALESCE(started_ms, @now)
            WHERE id = ({candidates})
            RETURNING {JobColumns}
            """;
        Add(command, "@now", Columns.ToMilliseconds(now));
        Add(command, "@owner", claim.WorkerId);
        Add(command, "@until", Columns.ToMilliseconds(now + claim.Lease));
        return await ReadJobAsync(command, cancellationToken);
    }

    public async Task<bool> RenewLeaseAsync(string id, string workerId, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(workerId);
        using var gate = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "UPDATE jobs SET lease_until_ms = @until WHERE id = @id AND lease_owner = @owner AND status = 'running'");
        Add(command, "@until", Columns.ToMilliseconds(Time.GetUtcNow() + lease));
        Add(command, "@id", id);
        Add(command, "@owner", workerId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<JobRecord?> CompleteJobAsync(string id, string workerId, JobStatus status, string? result, string? error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(workerId);
        if (!JobStatuses.IsFinished(status)) throw new ArgumentException($"A job finishes as succeeded, failed or cancelled, not {JobStatuses.ToText(status)}.", nameof(status));
        using var gate = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, $"""
            UPDATE jobs SET status = @status, result = @result, error = @error, finished_ms = @now, lease_owner = NULL, lease_until_ms = NULL
            WHERE id = @id AND lease_owner = @owner AND status = 'running'
            RETURNING {JobColumns}
            """);
        Add(command, "@status", JobStatuses.ToText(status));
        Add(command, "@result", result);
        Add(command, "@error", error);
        Add(command, "@now", Columns.ToMilliseconds(Time.GetUtcNow()));
        Add(command, "@id", id);
        Add(command, "@owner", workerId);
        return await ReadJobAsync(command, cancellationToken);
    }

    public async Task<JobRecord?> CancelJobAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var gate = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using (var command = Command(connection, null, $"UPDATE jobs SET status = 'cancelled', finished_ms = @now, lease_owner = NULL, lease_until_ms = NULL WHERE id = @id AND {Unfinished}"))
        {
            Add(command, "@now", Columns.ToMilliseconds(Time.GetUtcNow()));
            Add(command, "@id", id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var read = Command(connection, null, $"SELECT {JobColumns} FROM jobs WHERE id = @id");
        Add(read, "@id", id);
        return await ReadJobAsync(read, cancellationToken);
    }

    public async Task<BatchRecord?> CancelBatchAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var now = Columns.ToMilliseconds(Time.GetUtcNow());
        using var gate = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = Command(connection, transaction, "UPDATE batches SET cancelled_ms = COALESCE(cancelled_ms, @now) WHERE id = @id"))
        {
            Add(batch, "@now", now);
            Add(batch, "@id", id);
            if (await batch.ExecuteNonQueryAsync(cancellationToken) == 0) return null;
        }
        await using (var jobs = Command(connection, transaction, $"UPDATE jobs SET status = 'cancelled', finished_ms = @now, lease_owner = NULL, lease_until_ms = NULL WHERE batch_id = @id AND {Unfinished}"))
        {
            Add(jobs, "@now", now);
            Add(jobs, "@id", id);
            await jobs.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return await ReadBatchAsync(connection, id, cancellationToken);
    }

    public async Task<int> ReleaseJobsAsync(string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workerId);
        using var gate = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "UPDATE jobs SET status = 'pending', lease_owner = NULL, lease_until_ms = NULL WHERE lease_owner = @owner AND status = 'running'");
        Add(command, "@owner", workerId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<BatchRecord?> ReadBatchAsync(DbConnection connection, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, null, """
            SELECT b.id, b.created_ms, b.total, b.concurrency, b.cancelled_ms, j.status, COUNT(j.id), MAX(j.finished_ms)
            FROM batches b LEFT JOIN jobs j ON j.batch_id = b.id
            WHERE b.id = @id
            GROUP BY b.id, b.created_ms, b.total, b.concurrency, b.cancelled_ms, j.status
            """);
        Add(command, "@id", id);
        BatchRecord? batch = null;
        var counts = new int[JobStatuses.All.Count];
        long? finished = null;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                batch ??= new BatchRecord
                {
                    Id = reader.GetString(0),
                    CreatedAt = Columns.FromMilliseconds(reader.GetInt64(1)),
                    Total = reader.GetInt32(2),
                    Concurrency = reader.IsDBNull(3) ? null : reader.GetInt32(3),
                    CancelledAt = reader.IsDBNull(4) ? null : Columns.FromMilliseconds(reader.GetInt64(4)),
                    Counts = new JobCounts(0, 0, 0, 0, 0),
                };
                if (reader.IsDBNull(5)) continue;
                counts[(int)StatusFromText(reader.GetString(5))] = Convert.ToInt32(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture);
                if (!reader.IsDBNull(7)) finished = Math.Max(finished ?? long.MinValue, reader.GetInt64(7));
            }
        }
        if (batch is null) return null;
        var total = new JobCounts(counts[0], counts[1], counts[2], counts[3], counts[4]);
        return batch with { Counts = total, FinishedAt = total.Done && finished is { } last ? Columns.FromMilliseconds(last) : null };
    }

    private static string Parameters(DbCommand command, string prefix, IReadOnlyCollection<string> values)
    {
        var names = new StringBuilder();
        var i = 0;
        foreach (var value in values)
        {
            var name = prefix + i++;
            names.Append(names.Length == 0 ? "" : ", ").Append(name);
            Add(command, name, value);
        }
        return names.ToString();
    }

    private static void AddJob(DbCommand command, string id, NewJob job, string? batchId, int? index, long created)
    {
        Add(command, "@id", id);
        Add(command, "@batch", batchId);
        Add(command, "@index", index);
        Add(command, "@provider", job.Provider);
        Add(command, "@model", job.ModelName);
        Add(command, "@route", job.Route);
        Add(command, "@request", job.Request);
        Add(command, "@metadata", Columns.ToJson(job.Metadata));
        Add(command, "@webhook", job.Webhook?.ToString());
        Add(command, "@created", created);
    }

    private static JobRecord Pending(string id, NewJob job, string? batchId, int? index, long created) => new()
    {
        Id = id,
        Status = JobStatus.Pending,
        Provider = job.Provider,
        ModelName = job.ModelName,
        Route = job.Route,
        BatchId = batchId,
        ItemIndex = index,
        Request = job.Request,
        Metadata = new Dictionary<string, string>(job.Metadata),
        Webhook = job.Webhook,
        CreatedAt = Columns.FromMilliseconds(created),
    };

    private static async Task<JobRecord?> ReadJobAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadJob(reader) : null;
    }

    private static JobRecord ReadJob(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        BatchId = Text(reader, 1),
        ItemIndex = reader.IsDBNull(2) ? null : reader.GetInt32(2),
        Status = StatusFromText(reader.GetString(3)),
        Provider = Text(reader, 4),
        ModelName = Text(reader, 5),
        Route = Text(reader, 6),
        Request = reader.GetString(7),
        Metadata = Columns.MapFromJson(Text(reader, 8)),
        Webhook = Text(reader, 9) is { } webhook ? new Uri(webhook) : null,
        CreatedAt = Columns.FromMilliseconds(reader.GetInt64(10)),
        StartedAt = Moment(reader, 11),
        FinishedAt = Moment(reader, 12),
        Attempts = reader.GetInt32(13),
        LeaseOwner = Text(reader, 14),
        LeaseUntil = Moment(reader, 15),
        Result = Text(reader, 16),
        Error = Text(reader, 17),
    };

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset? Moment(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : Columns.FromMilliseconds(reader.GetInt64(ordinal));

    private static JobStatus StatusFromText(string text) =>
        JobStatuses.Parse(text) ?? throw new InvalidDataException($"unknown job status '{text}' in the store");
}
