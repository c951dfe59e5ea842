using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Configuration;
using Switchboard.Gateway;
using Switchboard.Gateway.Execution;
using Switchboard.Gateway.Jobs;
using Switchboard.Storage;
using Switchboard.Storage.Jobs;

namespace Switchboard.Cli;

/// <summary>
/// What <c>jobs submit</c> and <c>batch run</c> need to submit and run jobs in this process: the config, the store, and
/// the gateway's own machinery (the same submissions check, <see cref="GatewayChat"/> and <see cref="JobWorkers"/>),
/// so a job run here is routed, budgeted and logged exactly as a gateway would.
/// </summary>
internal sealed class CliJobRunner : IAsyncDisposable
{
    private readonly SwitchboardRuntime _runtime;
    private readonly UsageWriter _writer;
    private readonly GatewayChat _chat;
    private readonly string? _webhookSecret;

    private CliJobRunner(SwitchboardRuntime runtime, ISwitchboardStore store, string? webhookSecret)
    {
        _runtime = runtime;
        Store = store;
        _webhookSecret = webhookSecret;
        _writer = new UsageWriter(store, runtime.Time);
        _chat = new GatewayChat(runtime, new UsageRecorder(_writer), new RequestLimits(store, runtime.Options.Budgets, runtime.Time));
        Submissions = new JobSubmissions(runtime);
    }

    public ISwitchboardStore Store { get; }

    /// <summary>Checks job requests against the config, as <c>POST /api/jobs</c> does.</summary>
    public JobSubmissions Submissions { get; }

    public static async Task<CliJobRunner> OpenAsync(CliEnvironment env, string? configPath, CancellationToken cancellationToken)
    {
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        var runtime = new SwitchboardRuntime(options, environment: env.Variables);
        try
        {
            var store = await CliStorage.OpenAsync(env, options, "jobs", cancellationToken);
            return new CliJobRunner(runtime, store, options.Jobs.WebhookSecret?.Resolve(env.Variables));
        }
        catch
        {
            runtime.Dispose();
            throw;
        }
    }

    /// <summary>Workers of this process for one batch's jobs, or one job; started, and stopped by the caller.</summary>
    public async Task<JobWorkers> StartWorkersAsync(string? batchId, string? jobId, CancellationToken cancellationToken)
    {
        var workers = new JobWorkers(Store, _chat, _runtime.Options.Jobs with { PollInterval = TimeSpan.FromMilliseconds(200) },
            NullLogger.Instance, _webhookSecret, batchId, jobId);
        await workers.StartAsync(cancellationToken);
        return workers;
    }

    /// <summary>Stops the workers: the jobs under way finish within <paramref name="grace"/>, the rest go back to pending.</summary>
    public static async Task StopWorkersAsync(JobWorkers workers, TimeSpan grace)
    {
        using var timeout = new CancellationTokenSource(grace);
        await workers.StopAsync(timeout.Token);
        await workers.DisposeAsync();
    }

    /// <summary>Reads the job every 200 ms until it has finished.</summary>
    public async Task<JobRecord> WaitAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            var job = await Store.GetJobAsync(id, cancellationToken) ?? throw new UsageException($"Job {id} is gone from the store.");
            if (JobStatuses.IsFinished(job.Status)) return job;
            await Task.Delay(200, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.StopAsync();
        await Store.DisposeAsync();
        _runtime.Dispose();
    }
}
