using System.Buffers;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Gateway.Jobs;
using Switchboard.Storage;
using Switchboard.Storage.Jobs;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard jobs submit|list|show|cancel</c>: background jobs, worked on straight in the store the config names
/// (<c>storage:</c> or <c>SWITCHBOARD_DATABASE_URL</c>), so they work with or without a gateway running: a gateway on
/// the same store runs what is submitted here, and <c>submit --wait</c> runs it in this process when none does.
/// </summary>
internal static class JobsCommand
{
    public static Command Create(CliEnvironment env) => new("jobs",
        "Submit chat requests to run in the background, and list, show or cancel them. Jobs live in the store from the config (storage: or SWITCHBOARD_DATABASE_URL); any gateway serving that store runs them.")
    {
        SubmitCommand(env), ListCommand(env), ShowCommand(env), CancelCommand(env),
    };

    private static Command SubmitCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var provider = new Option<string?>("--provider", "-p") { Description = "The provider to ask, such as openai or anthropic. Default: jobs.provider from the config.", HelpName = "PROVIDER" };
        var modelName = new Option<string?>("--model-name", "-m") { Description = "The model the provider is asked for, such as gpt-4o-mini. Default: jobs.model_name from the config.", HelpName = "MODEL" };
        var route = new Option<string?>("--route", "-r") { Description = "A route, agent or workflow from the config, instead of --provider and --model-name.", HelpName = "ROUTE" };
        var system = new Option<string?>("--system", "-s") { Description = "A system prompt sent before the prompt.", HelpName = "TEXT" };
        var webhook = new Option<string?>("--webhook") { Description = "An http(s) URL the finished job is POSTed to (signed when jobs.webhook_secret is set).", HelpName = "URL" };
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait until the job is done and print the answer, tokens and cost; runs it in this process unless a gateway takes it first." };
        var prompt = new Argument<string[]>("prompt") { Description = "The prompt; several words are joined with spaces.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("submit", "Store a job (pending) and print its id. A gateway on the same store runs it; with --wait, this command runs it itself and prints the answer.")
        {
            provider, modelName, route, system, webhook, wait, config, prompt,
        };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            await using var runner = await CliJobRunner.OpenAsync(env, result.GetValue(config), cancellationToken);
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("input", string.Join(' ', result.GetValue(prompt) ?? []));
                if (result.GetValue(system) is { } text) writer.WriteString("system", text);
                if (result.GetValue(provider) is { } p) writer.WriteString("provider", p);
                if (result.GetValue(modelName) is { } m) writer.WriteString("model_name", m);
                if (result.GetValue(route) is { } r) writer.WriteString("route", r);
                if (result.GetValue(webhook) is { } url) writer.WriteString("webhook", url);
                writer.WriteEndObject();
            }
            NewJob job;
            using (var document = JsonDocument.Parse(buffer.WrittenMemory))
            {
                try
                {
                    job = runner.Submissions.Read(document.RootElement);
                }
                catch (SwitchboardException e) when (e.StatusCode == 400)
                {
                    throw new UsageException(e.Message.Replace("input or messages", "a prompt", StringComparison.Ordinal));
                }
            }
            var stored = await runner.Store.CreateJobAsync(JobIds.NewJobId(DateTimeOffset.UtcNow), job, cancellationToken);
            env.Out.WriteLine(stored.Id);
            if (!result.GetValue(wait)) return ExitCodes.Ok;

            var workers = await runner.StartWorkersAsync(batchId: null, stored.Id, cancellationToken);
            JobRecord done;
            try
            {
                done = await runner.WaitAsync(stored.Id, cancellationToken);
            }
            finally
            {
                // Interrupted: the job goes back to pending, for a gateway or a later run.
                await CliJobRunner.StopWorkersAsync(workers, TimeSpan.FromSeconds(cancellationToken.IsCancellationRequested ? 0 : 5));
            }
            return PrintOutcome(env, done);
        }));
        return command;
    }

    private static Command ListCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var status = new Option<string?>("--status") { Description = "Only jobs in this status: pending, running, succeeded, failed or cancelled.", HelpName = "STATUS" };
        status.AcceptOnlyFromAmong([.. JobStatuses.All.Select(JobStatuses.ToText)]);
        var model = new Option<string?>("--model") { Description = "Only jobs asking for this model name (or sent to this route).", HelpName = "MODEL" };
        var batch = new Option<string?>("--batch") { Description = "Only the jobs of this batch, in their order.", HelpName = "BATCH_ID" };
        var limit = CliOptions.Integer("--limit", 1, JobQuery.MaxLimit);
        limit.Description = $"How many to list, newest first. Default: 50, at most {JobQuery.MaxLimit}.";
        limit.HelpName = "N";
        var json = new Option<bool>("--json") { Description = "Print the jobs as JSON, as GET /api/jobs answers." };
        var command = new Command("list", "List jobs, newest first, with status, model, attempts, tokens and cost.") { status, model, batch, limit, json, config };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            await using var store = await OpenAsync(env, result.GetValue(config), cancellationToken);
            var query = new JobQuery
            {
                Status = result.GetValue(status) is { } s ? JobStatuses.Parse(s) : null,
                Model = result.GetValue(model),
                BatchId = result.GetValue(batch),
                Limit = result.GetValue(limit) ?? 50,
            };
            var jobs = await store.ListJobsAsync(query, cancellationToken);
            if (result.GetValue(json))
            {
                env.Out.WriteLine(JobJson.List(jobs).ToJsonString());
                return ExitCodes.Ok;
            }
            if (jobs.Count == 0)
            {
                env.Out.WriteLine("No jobs match. Submit one: switchboard jobs submit --provider openai --model-name gpt-4o-mini \"Hello\"");
                return ExitCodes.Ok;
            }
            env.Out.Write(Table(jobs));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ShowCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var id = new Argument<string>("id") { Description = "The job's id (job_...), as jobs submit printed it." };
        var json = new Option<bool>("--json") { Description = "Print the job as JSON, as GET /api/jobs/{id} answers." };
        var command = new Command("show", "Show one job: status, times, attempts, and its answer or error.") { id, json, config };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            await using var store = await OpenAsync(env, result.GetValue(config), cancellationToken);
            var job = await store.GetJobAsync(result.GetValue(id)!, cancellationToken) ?? throw NotFound(result.GetValue(id)!);
            if (result.GetValue(json))
            {
                env.Out.WriteLine(JobJson.Job(job).ToJsonString());
                return ExitCodes.Ok;
            }
            var grid = new Grid().AddColumn().AddColumn();
            grid.AddRow("Id", Markup.Escape(job.Id));
            grid.AddRow("Status", JobStatuses.ToText(job.Status));
            grid.AddRow("Model", Markup.Escape(Target(job)));
            if (job.BatchId is { } batch) grid.AddRow("Batch", Markup.Escape($"{batch} (item {job.ItemIndex})"));
            grid.AddRow("Created", Time(job.CreatedAt));
            grid.AddRow("Started", job.StartedAt is { } started ? Time(started) : "-");
            grid.AddRow("Finished", job.FinishedAt is { } finished ? Time(finished) : "-");
            grid.AddRow("Attempts", job.Attempts.ToString(CultureInfo.InvariantCulture));
            foreach (var (key, value) in job.Metadata) grid.AddRow(Markup.Escape("metadata." + key), Markup.Escape(value));
            env.Out.Write(grid);
            return job.Status is JobStatus.Succeeded or JobStatus.Failed ? PrintOutcome(env, job) : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command CancelCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var id = new Argument<string>("id") { Description = "The job's id (job_...)." };
        var command = new Command("cancel", "Cancel a pending or running job. A gateway running it stops at its next lease renewal (within a third of jobs.lease).") { id, config };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            var jobId = result.GetValue(id)!;
            await using var store = await OpenAsync(env, result.GetValue(config), cancellationToken);
            var before = await store.GetJobAsync(jobId, cancellationToken) ?? throw NotFound(jobId);
            if (JobStatuses.IsFinished(before.Status))
                throw new UsageException($"Job {jobId} has already finished ({JobStatuses.ToText(before.Status)}); only a pending or running job can be cancelled.");
            var job = await store.CancelJobAsync(jobId, cancellationToken) ?? throw NotFound(jobId);
            env.Out.WriteLine($"{job.Id} {JobStatuses.ToText(job.Status)}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>The answer on standard output, then the provider, model, tokens and cost on standard error; or the error.</summary>
    internal static int PrintOutcome(CliEnvironment env, JobRecord job)
    {
        if (job.Status == JobStatus.Succeeded && job.Result is not null)
        {
            var result = JsonNode.Parse(job.Result)!;
            env.Out.WriteLine((string?)result["text"] ?? "");
            var usage = result["usage"]!;
            var cost = result["cost_usd"] is { } usd ? Format.Cost((decimal)usd) : "cost unknown";
            env.Error.MarkupLineInterpolated(
                $"[dim]{(string?)result["provider"]}/{(string?)result["model"]} · {(int)usage["input_tokens"]!} in · {(int)usage["output_tokens"]!} out · {cost}[/]");
            return ExitCodes.Ok;
        }
        if (job.Status == JobStatus.Failed && job.Error is not null)
        {
            env.Error.MarkupLineInterpolated($"[red]{(string?)JsonNode.Parse(job.Error)!["message"]}[/]");
            return ExitCodes.Provider;
        }
        env.Error.MarkupLineInterpolated($"[yellow]{job.Id} is {JobStatuses.ToText(job.Status)}.[/]");
        return job.Status == JobStatus.Cancelled ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    /// <summary>Jobs as a table: id, status, model, attempts, tokens, cost, created.</summary>
    internal static Table Table(IEnumerable<JobRecord> jobs)
    {
        var table = new Table().AddColumns("Id", "Status", "Model", "Attempts", "Tokens", "Cost", "Created");
        foreach (var job in jobs)
        {
            var result = job.Result is null ? null : JsonNode.Parse(job.Result);
            var usage = result?["usage"];
            table.AddRow(
                Markup.Escape(job.Id),
                JobStatuses.ToText(job.Status),
                Markup.Escape(Target(job)),
                job.Attempts.ToString(CultureInfo.InvariantCulture),
                usage is null ? "-" : $"{(int)usage["input_tokens"]!} in / {(int)usage["output_tokens"]!} out",
                result?["cost_usd"] is { } usd ? Format.Cost((decimal)usd) : "-",
                Time(job.CreatedAt));
        }
        return table;
    }

    private static string Target(JobRecord job) => job.Route ?? $"{job.Provider}/{job.ModelName}";

    private static Task<ISwitchboardStore> OpenAsync(CliEnvironment env, string? configPath, CancellationToken cancellationToken) =>
        CliStorage.OpenAsync(env, ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory), "jobs", cancellationToken);

    private static UsageException NotFound(string id) => new($"There is no job with id {id}. switchboard jobs list shows them.");

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
