using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchboard.Chat;
using Switchboard.Gateway.Execution;
using Switchboard.Providers.OpenAI;
using Switchboard.Storage.Jobs;

namespace Switchboard.Gateway.Jobs;

/// <summary>Jobs and batches in the shape of the jobs API (docs/jobs.md), and the result or error a finished job keeps.</summary>
internal static class JobJson
{
    /// <summary>The job object: id, status, what it asked for, its times, attempts, and its result or error.</summary>
    public static JsonObject Job(JobRecord job)
    {
        var metadata = new JsonObject();
        foreach (var (key, value) in job.Metadata) metadata[key] = value;
        return new JsonObject
        {
            ["id"] = job.Id,
            ["object"] = "job",
            ["status"] = JobStatuses.ToText(job.Status),
            ["provider"] = job.Provider,
            ["model_name"] = job.ModelName,
            ["route"] = job.Route,
            ["batch_id"] = job.BatchId,
            ["metadata"] = metadata,
            ["created_at"] = Time(job.CreatedAt),
            ["started_at"] = Time(job.StartedAt),
            ["finished_at"] = Time(job.FinishedAt),
            ["attempts"] = job.Attempts,
            ["result"] = job.Result is null ? null : JsonNode.Parse(job.Result),
            ["error"] = job.Error is null ? null : JsonNode.Parse(job.Error),
        };
    }

    /// <summary>A list of jobs: <c>{"object": "list", "data": [...]}</c>.</summary>
    public static JsonObject List(IEnumerable<JobRecord> jobs)
    {
        var data = new JsonArray();
        foreach (var job in jobs) data.Add(Job(job));
        return new JsonObject { ["object"] = "list", ["data"] = data };
    }

    /// <summary>The batch object: id, status, totals and counts by status.</summary>
    public static JsonObject Batch(BatchRecord batch) => new()
    {
        ["id"] = batch.Id,
        ["object"] = "batch",
        ["status"] = batch.CancelledAt is not null ? "cancelled" : batch.Counts.Done ? "completed" : "running",
        ["total"] = batch.Total,
        ["counts"] = new JsonObject
        {
            ["pending"] = batch.Counts.Pending,
            ["running"] = batch.Counts.Running,
            ["succeeded"] = batch.Counts.Succeeded,
            ["failed"] = batch.Counts.Failed,
            ["cancelled"] = batch.Counts.Cancelled,
        },
        ["created_at"] = Time(batch.CreatedAt),
        ["finished_at"] = Time(batch.FinishedAt),
    };

    /// <summary>What a succeeded job keeps: the text, who answered, tokens, cost, time, attempts and the whole answer.</summary>
    public static string Result(ChatOutcome outcome)
    {
        var usage = outcome.Usage ?? default;
        return new JsonObject
        {
            ["text"] = outcome.Text,
            ["provider"] = outcome.Provider,
            ["model"] = outcome.Model,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = usage.Input,
                ["output_tokens"] = usage.Output,
                ["cached_input_tokens"] = usage.CachedInput,
                ["reasoning_tokens"] = usage.Reasoning,
                ["estimated"] = outcome.UsageEstimated,
            },
            ["cost_usd"] = outcome.CostUsd,
            ["latency_ms"] = Math.Round(outcome.LatencyMs, 1),
            ["attempts"] = outcome.Attempts,
            ["response"] = outcome.Response is null ? null : JsonSerializer.SerializeToNode(outcome.Response, ChatJsonContext.Default.ChatResponse),
        }.ToJsonString();
    }

    /// <summary>What a failed job keeps: the error as a client of the gateway would have seen it.</summary>
    public static string Error(SwitchboardException error) => Error(OpenAIClientDialect.TypeOf(error.Category), error.Message, error.StatusCode);

    /// <summary>An error the jobs machinery itself decided on.</summary>
    public static string Error(string type, string message, int status) =>
        new JsonObject { ["type"] = type, ["message"] = message, ["status"] = status }.ToJsonString();

    private static string? Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
