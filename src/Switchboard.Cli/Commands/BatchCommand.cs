using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Gateway.Jobs;
using Switchboard.Storage.Jobs;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard batch run FILE.jsonl</c>: stores a batch (one job request, or one OpenAI Batch API line, per line)
/// and runs its jobs in this process with the gateway's own workers, showing progress. Its jobs are durable: a run
/// stopped by Ctrl+C (or a crash) goes on with <c>batch run --resume BATCH_ID</c>, and a gateway on the same store
/// may run some of them too.
/// </summary>
internal static class BatchCommand
{
    public static Command Create(CliEnvironment env) => new("batch",
        "Run many chat requests from a JSON-lines file, with bounded concurrency and a progress bar; resumable after Ctrl+C or a crash.")
    {
        RunCommand(env),
    };

    private static Command RunCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var file = new Argument<string?>("file")
        {
            Description = "A .jsonl file: one job request per line ({\"input\": \"...\", \"provider\": \"openai\", \"model_name\": \"gpt-4o-mini\"}) or OpenAI Batch API lines. Blank lines are skipped.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var concurrency = CliOptions.Integer("--concurrency", 1, 1024, "-n");
        concurrency.Description = "At most N requests at once (also bounded per provider by jobs.provider_concurrency). Default: jobs.workers.";
        concurrency.HelpName = "N";
        var resume = new Option<string?>("--resume") { Description = "Go on with a batch stored earlier (its id, batch_...) instead of a file.", HelpName = "BATCH_ID" };
        var command = new Command("run", "Store the file's requests as one batch and run them here, showing progress; prints the batch id first, and a summary at the end. Exit code 4 when any request failed.")
        {
            file, concurrency, resume, config,
        };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            var path = result.GetValue(file);
            var resumed = result.GetValue(resume);
            if ((path is null) == (resumed is null)) throw new UsageException("Give a .jsonl file to run, or --resume BATCH_ID to go on with a stored batch (not both).");
            await using var runner = await CliJobRunner.OpenAsync(env, result.GetValue(config), cancellationToken);
            BatchRecord batch;
            if (path is not null)
            {
                var full = Path.GetFullPath(path, env.WorkingDirectory);
                if (!File.Exists(full)) throw new UsageException($"There is no file {path}.");
                List<NewJob> jobs;
                try
                {
                    jobs = BatchEndpoints.ReadLines(await File.ReadAllBytesAsync(full, cancellationToken), runner.Submissions);
                }
                catch (SwitchboardException e) when (e.StatusCode == 400)
                {
                    throw new UsageException($"{path}: {e.Message}");
                }
                batch = await runner.Store.CreateBatchAsync(JobIds.NewBatchId(DateTimeOffset.UtcNow), jobs, result.GetValue(concurrency), cancellationToken);
            }
            else
            {
                batch = await runner.Store.GetBatchAsync(resumed!, cancellationToken) ?? throw new UsageException($"There is no batch with id {resumed}.");
            }
            env.Out.WriteLine(batch.Id);

            var workers = await runner.StartWorkersAsync(batch.Id, jobId: null, cancellationToken);
            try
            {
                batch = env.Out.Profile.Capabilities.Interactive
                    ? await ProgressBarAsync(env, runner, batch, cancellationToken)
                    : await ProgressLinesAsync(env, runner, batch, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                env.Error.MarkupLineInterpolated($"[yellow]Stopped. Go on with: switchboard batch run --resume {batch.Id}[/]");
                throw;
            }
            finally
            {
                await CliJobRunner.StopWorkersAsync(workers, TimeSpan.FromSeconds(cancellationToken.IsCancellationRequested ? 0 : 5));
            }

            var counts = batch.Counts;
            env.Out.WriteLine($"{batch.Id}: {counts.Succeeded} succeeded, {counts.Failed} failed, {counts.Cancelled} cancelled of {batch.Total}.");
            var failed = await runner.Store.ListJobsAsync(new JobQuery { BatchId = batch.Id, Status = JobStatus.Failed, Limit = 10 }, cancellationToken);
            if (failed.Count > 0) env.Out.Write(JobsCommand.Table(failed));
            return counts.Failed > 0 ? ExitCodes.Provider : ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<BatchRecord> ProgressBarAsync(CliEnvironment env, CliJobRunner runner, BatchRecord batch, CancellationToken cancellationToken)
    {
        var current = batch;
        await env.Out.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(current), maxValue: current.Total);
                while (true)
                {
                    current = await runner.Store.GetBatchAsync(batch.Id, cancellationToken) ?? current;
                    task.Value = current.Total - current.Counts.Pending - current.Counts.Running;
                    task.Description = Describe(current);
                    if (current.Counts.Done) return;
                    await Task.Delay(250, cancellationToken);
                }
            });
        return current;
    }

    private static async Task<BatchRecord> ProgressLinesAsync(CliEnvironment env, CliJobRunner runner, BatchRecord batch, CancellationToken cancellationToken)
    {
        var current = batch;
        string? last = null;
        while (true)
        {
            current = await runner.Store.GetBatchAsync(batch.Id, cancellationToken) ?? current;
            var line = $"{current.Total - current.Counts.Pending - current.Counts.Running}/{current.Total} done ({Describe(current)})";
            if (line != last) env.Error.WriteLine(line);
            last = line;
            if (current.Counts.Done) return current;
            await Task.Delay(250, cancellationToken);
        }
    }

    private static string Describe(BatchRecord batch) => string.Create(CultureInfo.InvariantCulture,
        $"{batch.Counts.Running} running, {batch.Counts.Succeeded} succeeded, {batch.Counts.Failed} failed");
}
