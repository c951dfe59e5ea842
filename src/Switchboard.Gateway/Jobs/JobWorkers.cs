using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchboard.Configuration;
using Switchboard.Gateway.Execution;
using Switchboard.Storage.Jobs;

namespace Switchboard.Gateway.Jobs;

/// <summary>
/// The workers of one process: claim jobs from the store under a lease, run each through <see cref="GatewayChat"/>
/// (routing, fallbacks, budgets, the usage log), renew the lease while it runs, and store how it ended. At most
/// <c>jobs.workers</c> jobs at once, <c>jobs.provider_concurrency</c> per provider (per route for routed jobs), and
/// a batch's own concurrency for its jobs. A stop lets the jobs under way finish while the host allows, then puts
/// the rest back to pending for the next process.
/// </summary>
internal sealed class JobWorkers : IHostedService, IAsyncDisposable
{
    private readonly IJobStore _store;
    private readonly GatewayChat _chat;
    private readonly JobsOptions _options;
    private readonly JobWebhooks _webhooks;
    private readonly ILogger _logger;
    private readonly string? _onlyBatch;
    private readonly string? _onlyJob;
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _perLane = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _perBatch = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int?> _batchLimits = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stopClaiming = new();
    private readonly CancellationTokenSource _abort = new();
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    /// <param name="store">The queue.</param>
    /// <param name="chat">How a job's request is sent.</param>
    /// <param name="options">The <c>jobs:</c> section.</param>
    /// <param name="logger">Where failures of the machinery (not of jobs) are logged.</param>
    /// <param name="webhookSecret">The key webhook bodies are signed with (<c>jobs.webhook_secret</c> resolved); null for unsigned.</param>
    /// <param name="onlyBatch">Run only this batch's jobs (<c>switchboard batch run</c>); null for any job.</param>
    /// <param name="onlyJob">Run only this job (<c>switchboard jobs submit --wait</c>); null for any job.</param>
    public JobWorkers(IJobStore store, GatewayChat chat, JobsOptions options, ILogger logger, string? webhookSecret, string? onlyBatch = null, string? onlyJob = null)
    {
        _store = store;
        _chat = chat;
        _options = options;
        _logger = logger;
        _onlyBatch = onlyBatch;
        _onlyJob = onlyJob;
        _webhooks = new JobWebhooks(webhookSecret, logger);
        WorkerId = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
    }

    /// <summary>This process's name on the leases it holds.</summary>
    public string WorkerId { get; }

    /// <summary>How many jobs run here now.</summary>
    public int Running => _running.Count;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Looks for jobs now rather than at the next poll: a job was just stored.</summary>
    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Stops the job if it runs here (its status was already set in the store); false when it does not.</summary>
    public bool Cancel(string jobId)
    {
        if (!_running.TryGetValue(jobId, out var run)) return false;
        run.Stop();
        return true;
    }

    /// <summary>Stops every job of the batch that runs here.</summary>
    public void CancelBatch(string batchId)
    {
        foreach (var run in _running.Values)
        {
            if (run.Job.BatchId == batchId) run.Stop();
        }
    }

    /// <summary>
    /// Stops claiming, lets the jobs under way finish until <paramref name="cancellationToken"/> (the host's shutdown
    /// timeout) fires, then cuts the rest off and puts them back to pending.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopClaiming.CancelAsync();
        await _loop;
        var all = Task.WhenAll(_running.Values.Select(r => r.Task));
        try
        {
            await all.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync();
            await all;
        }
        try
        {
            var released = await _store.ReleaseJobsAsync(WorkerId, CancellationToken.None);
            if (released > 0 && _logger.IsEnabled(LogLevel.Information)) _logger.LogInformation("Put {Count} unfinished jobs back to pending for another worker", released);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Their leases run out instead, and another worker takes them then.
            _logger.LogWarning("Could not put unfinished jobs back to pending: {Error}", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered both as itself and as a hosted service, so disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _webhooks.DisposeAsync();
        _stopClaiming.Dispose();
        _abort.Dispose();
        _wake.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stopClaiming.IsCancellationRequested)
        {
            try
            {
                await ClaimWhileRoomAsync();
            }
            catch (OperationCanceledException) when (_stopClaiming.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The store is unreachable, say: try again at the next poll.
                _logger.LogWarning("Could not claim jobs: {Error}", e.Message);
            }
            try
            {
                await _wake.WaitAsync(_options.PollInterval, _stopClaiming.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ClaimWhileRoomAsync()
    {
        while (_running.Count < _options.Workers && !_stopClaiming.IsCancellationRequested)
        {
            JobClaim claim;
            lock (_perLane)
            {
                claim = new JobClaim
                {
                    WorkerId = WorkerId,
                    Lease = _options.Lease,
                    BatchId = _onlyBatch,
                    JobId = _onlyJob,
                    ExcludedLanes = [.. _perLane.Where(l => l.Value >= _options.ProviderConcurrency).Select(l => l.Key)],
                    ExcludedBatches = [.. _perBatch.Where(b => _batchLimits.GetValueOrDefault(b.Key) is { } limit && b.Value >= limit).Select(b => b.Key)],
                };
            }
            var job = await _store.ClaimJobAsync(claim, _stopClaiming.Token);
            if (job is null) return;
            if (job.BatchId is { } batch && !KnowsLimitOf(batch))
            {
                // Read once per batch (it never changes) and before the next claim, so the batch's bound holds from its first job.
                var record = await _store.GetBatchAsync(batch, CancellationToken.None);
                lock (_perLane) _batchLimits[batch] = record?.Concurrency;
            }
            Start(job);
        }
    }

    private bool KnowsLimitOf(string batch)
    {
        lock (_perLane) return _batchLimits.ContainsKey(batch);
    }

    private void Start(JobRecord job)
    {
        var run = new RunningJob(job, Lane(job), _abort.Token);
        lock (_perLane)
        {
            _perLane[run.Lane] = _perLane.GetValueOrDefault(run.Lane) + 1;
            if (job.BatchId is { } batch) _perBatch[batch] = _perBatch.GetValueOrDefault(batch) + 1;
        }
        _running[job.Id] = run;
        run.Task = Task.Run(() => RunAsync(run), CancellationToken.None);
    }

    private async Task RunAsync(RunningJob run)
    {
        var job = run.Job;
        using var renewal = new CancellationTokenSource();
        var renewing = Task.CompletedTask;
        try
        {
            if (job.Attempts > _options.MaxAttempts)
            {
                await FinishAsync(job, JobStatus.Failed, null, JobJson.Error("job_abandoned",
                    $"The job was started {job.Attempts - 1} times and each time its worker stopped before it finished (the process died or lost the lease); it is not tried again (jobs.max_attempts: {_options.MaxAttempts}).",
                    500));
                return;
            }
            renewing = RenewAsync(run, renewal.Token);
            ChatOutcome outcome;
            try
            {
                outcome = await _chat.CompleteAsync(Body(job), run.Token);
            }
            catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
            {
                // Cancelled (the store says so already), lease lost (another worker has it), or stopping (released
                // at the end of the stop): there is nothing to write.
                return;
            }
            if (outcome.Error is { } error) await FinishAsync(job, JobStatus.Failed, null, JobJson.Error(error));
            else await FinishAsync(job, JobStatus.Succeeded, JobJson.Result(outcome), null);
        }
        catch (Exception e)
        {
            // The store failed: the job keeps its lease until it runs out, and then runs again.
            _logger.LogError("Job {JobId} could not be finished: {Error}", job.Id, e.Message);
        }
        finally
        {
            await renewal.CancelAsync();
            await renewing;
            _running.TryRemove(job.Id, out _);
            lock (_perLane)
            {
                _perLane[run.Lane]--;
                if (job.BatchId is { } batch) _perBatch[batch]--;
            }
            run.Dispose();
            Wake();
        }
    }

    private async Task FinishAsync(JobRecord job, JobStatus status, string? result, string? error)
    {
        var done = await _store.CompleteJobAsync(job.Id, WorkerId, status, result, error, CancellationToken.None);
        if (done is null)
        {
            if (_logger.IsEnabled(LogLevel.Information)) _logger.LogInformation("Job {JobId} finished here after it was cancelled or taken over; its result is not kept", job.Id);
            return;
        }
        if (done.Webhook is { } url) _webhooks.Send(url, JobJson.Job(done).ToJsonString());
    }

    private async Task RenewAsync(RunningJob run, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_options.Lease / 3, cancellationToken);
                bool held;
                try
                {
                    held = await _store.RenewLeaseAsync(run.Job.Id, WorkerId, _options.Lease, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _logger.LogWarning("Could not renew the lease of job {JobId}: {Error}", run.Job.Id, e.Message);
                    continue;
                }
                if (held) continue;
                // Cancelled on another gateway, or the lease ran out and another worker runs it now.
                run.Stop();
                return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The job ended.
        }
    }

    /// <summary>The job's request with its id in the metadata, so the usage log's request id is the job's.</summary>
    private static ReadOnlyMemory<byte> Body(JobRecord job)
    {
        var body = JsonNode.Parse(job.Request)!.AsObject();
        if (body["metadata"] is not JsonObject metadata) body["metadata"] = metadata = [];
        metadata["id"] = job.Id;
        return JsonSerializer.SerializeToUtf8Bytes(body, JobJsonContext.Default.JsonObject);
    }

    private static string Lane(JobRecord job) => job.Provider ?? job.Route ?? "";

    /// <summary>A job running here: what stops it, and the task running it.</summary>
    private sealed class RunningJob(JobRecord job, string lane, CancellationToken abort) : IDisposable
    {
        private readonly CancellationTokenSource _stop = CancellationTokenSource.CreateLinkedTokenSource(abort);

        public JobRecord Job => job;

        public string Lane => lane;

        public CancellationToken Token => _stop.Token;

        public Task Task { get; set; } = Task.CompletedTask;

        public void Stop()
        {
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It has just ended.
            }
        }

        public void Dispose() => _stop.Dispose();
    }
}
