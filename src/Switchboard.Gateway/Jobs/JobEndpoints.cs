using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Providers.OpenAI;
using Switchboard.Storage;
using Switchboard.Storage.Jobs;

namespace Switchboard.Gateway.Jobs;

/// <summary>
/// <c>/api/jobs</c>: submit a chat request to run in the background, read it back, list and cancel jobs (docs/jobs.md).
/// Only the master key may (or anyone on loopback when the gateway has none): a virtual key is for chat calls.
/// Jobs live in the store, so a gateway without one answers 503.
/// </summary>
internal static class JobEndpoints
{
    public static void Map(WebApplication app, JobApi api)
    {
        app.MapPost("/api/jobs", context => api.GuardedAsync(context, (store, workers) => SubmitAsync(context, api, store, workers)));
        app.MapGet("/api/jobs", context => api.GuardedAsync(context, (store, _) => ListAsync(context, store)));
        app.MapGet("/api/jobs/{id}", context => api.GuardedAsync(context, (store, _) => GetAsync(context, store)));
        app.MapPost("/api/jobs/{id}/cancel", context => api.GuardedAsync(context, (store, workers) => CancelAsync(context, store, workers)));
    }

    private static async Task SubmitAsync(HttpContext context, JobApi api, ISwitchboardStore store, JobWorkers workers)
    {
        using var body = await RequestBody.ReadAsync(context, api.MaxBody);
        NewJob job;
        using (var document = JobApi.Parse(body.WrittenMemory))
            job = api.Submissions.Read(document.RootElement);
        var stored = await store.CreateJobAsync(JobIds.NewJobId(api.Time.GetUtcNow()), job, context.RequestAborted);
        workers.Wake();
        await JobApi.WriteAsync(context, JobJson.Job(stored), StatusCodes.Status202Accepted);
    }

    private static async Task ListAsync(HttpContext context, ISwitchboardStore store)
    {
        var query = Query(context.Request.Query);
        await JobApi.WriteAsync(context, JobJson.List(await store.ListJobsAsync(query, context.RequestAborted)));
    }

    private static async Task GetAsync(HttpContext context, ISwitchboardStore store)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var job = await store.GetJobAsync(id, context.RequestAborted) ?? throw NotFound(id);
        await JobApi.WriteAsync(context, JobJson.Job(job));
    }

    private static async Task CancelAsync(HttpContext context, ISwitchboardStore store, JobWorkers workers)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var before = await store.GetJobAsync(id, context.RequestAborted) ?? throw NotFound(id);
        if (JobStatuses.IsFinished(before.Status)) throw Finished(before);
        var job = await store.CancelJobAsync(id, context.RequestAborted) ?? throw NotFound(id);
        // It may have finished in between: then it says how, and the cancel came too late.
        if (job.Status != JobStatus.Cancelled) throw Finished(job);
        workers.Cancel(id);
        await JobApi.WriteAsync(context, JobJson.Job(job));
    }

    /// <summary>The list filters: status, model (or route), batch, limit; a bad one is a 400 naming it.</summary>
    internal static JobQuery Query(IQueryCollection query, string? batchId = null)
    {
        var result = new JobQuery { BatchId = batchId ?? Value(query, "batch"), Model = Value(query, "model") };
        if (Value(query, "status") is { } status)
        {
            result = result with
            {
                Status = JobStatuses.Parse(status) ?? throw SwitchboardException.BadRequest(
                    $"status must be one of {string.Join(", ", JobStatuses.All.Select(JobStatuses.ToText))}, not '{status}'.", "status"),
            };
        }
        if (Value(query, "limit") is { } limit)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > JobQuery.MaxLimit)
                throw SwitchboardException.BadRequest($"limit must be a whole number from 1 to {JobQuery.MaxLimit}, not '{limit}'.", "limit");
            result = result with { Limit = n };
        }
        return result;
    }

    private static string? Value(IQueryCollection query, string name) => query.TryGetValue(name, out var value) && value.ToString() is { Length: > 0 } text ? text : null;

    private static SwitchboardException NotFound(string id) =>
        new(ErrorCategory.NotFound, 404, $"There is no job with id {id}. GET /api/jobs lists them.", code: "job_not_found");

    private static SwitchboardException Finished(JobRecord job) =>
        new(ErrorCategory.BadRequest, 409, $"Job {job.Id} has already finished ({JobStatuses.ToText(job.Status)}); only a pending or running job can be cancelled.", code: "job_finished");
}
