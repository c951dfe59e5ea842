using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Storage;
using Switchboard.Storage.Jobs;

namespace Switchboard.Gateway.Jobs;

/// <summary>
/// <c>/api/batches</c>: many job requests at once, as JSON (<c>{"requests": [...], "concurrency": n}</c>) or JSON lines
/// (one request, or one OpenAI Batch API line, per line). Every item is checked before anything is stored, and the
/// batch is stored whole: a bad item is a 400 naming it. Its jobs are ordinary durable jobs, so a batch goes on after
/// a restart where it stopped.
/// </summary>
internal static class BatchEndpoints
{
    public static void Map(WebApplication app, JobApi api)
    {
        app.MapPost("/api/batches", context => api.GuardedAsync(context, (store, workers) => SubmitAsync(context, api, store, workers)));
        app.MapGet("/api/batches/{id}", context => api.GuardedAsync(context, (store, _) => GetAsync(context, store)));
        app.MapGet("/api/batches/{id}/jobs", context => api.GuardedAsync(context, (store, _) => JobsAsync(context, store)));
        app.MapPost("/api/batches/{id}/cancel", context => api.GuardedAsync(context, (store, workers) => CancelAsync(context, store, workers)));
    }

    /// <summary>
    /// The jobs of a JSON-lines file: one request per line, blank lines skipped; a bad line is a 400 (or, for the CLI,
    /// an error) that names its number.
    /// </summary>
    internal static List<NewJob> ReadLines(ReadOnlySpan<byte> text, JobSubmissions submissions)
    {
        var jobs = new List<NewJob>();
        var number = 0;
        while (text.Length > 0)
        {
            number++;
            var end = text.IndexOf((byte)'\n');
            var line = (end < 0 ? text : text[..end]).TrimEnd((byte)'\r');
            text = end < 0 ? [] : text[(end + 1)..];
            if (line.Trim(" \t"u8).IsEmpty) continue;
            var where = $"line {number}";
            using var document = JobApi.Parse(line.ToArray(), where);
            jobs.Add(submissions.Read(document.RootElement, where + ": "));
        }
        if (jobs.Count == 0) throw SwitchboardException.BadRequest("The batch has no requests: send one JSON job request per line.");
        return jobs;
    }

    private static async Task SubmitAsync(HttpContext context, JobApi api, ISwitchboardStore store, JobWorkers workers)
    {
        using var body = await RequestBody.ReadAsync(context, api.MaxBody);
        var type = context.Request.ContentType ?? "";
        List<NewJob> jobs;
        int? concurrency = Concurrency(context.Request.Query);
        if (type.Contains("ndjson", StringComparison.OrdinalIgnoreCase) || type.Contains("jsonl", StringComparison.OrdinalIgnoreCase))
        {
            jobs = ReadLines(body.WrittenSpan, api.Submissions);
        }
        else
        {
            using var document = JobApi.Parse(body.WrittenMemory);
            (jobs, var own) = ReadObject(document.RootElement, api.Submissions);
            concurrency = own ?? concurrency;
        }
        var batch = await store.CreateBatchAsync(JobIds.NewBatchId(api.Time.GetUtcNow()), jobs, concurrency, context.RequestAborted);
        workers.Wake();
        await JobApi.WriteAsync(context, JobJson.Batch(batch), StatusCodes.Status202Accepted);
    }

    private static (List<NewJob> Jobs, int? Concurrency) ReadObject(JsonElement root, JobSubmissions submissions)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("requests", out var requests) || requests.ValueKind != JsonValueKind.Array)
            throw SwitchboardException.BadRequest("The body must be {\"requests\": [job request, ...], \"concurrency\": n}, or JSON lines sent as application/jsonl.", "requests");
        int? concurrency = null;
        foreach (var field in root.EnumerateObject())
        {
            if (field.Name == "requests") continue;
            if (field.Name != "concurrency") throw SwitchboardException.BadRequest($"'{field.Name}' is not a field of a batch. Fields: requests, concurrency.", field.Name);
            if (field.Value.ValueKind == JsonValueKind.Null) continue;
            concurrency = field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var n) && n >= 1 ? n
                : throw SwitchboardException.BadRequest($"concurrency must be a whole number of at least 1, not {field.Value.GetRawText()}.", "concurrency");
        }
        var jobs = new List<NewJob>();
        var i = 0;
        foreach (var request in requests.EnumerateArray()) jobs.Add(submissions.Read(request, $"requests[{i++}]: "));
        if (jobs.Count == 0) throw SwitchboardException.BadRequest("The batch has no requests.", "requests");
        return (jobs, concurrency);
    }

    private static int? Concurrency(IQueryCollection query)
    {
        if (!query.TryGetValue("concurrency", out var value) || value.ToString().Length == 0) return null;
        return int.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
            : throw SwitchboardException.BadRequest($"concurrency must be a whole number of at least 1, not '{value}'.", "concurrency");
    }

    private static async Task GetAsync(HttpContext context, ISwitchboardStore store)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var batch = await store.GetBatchAsync(id, context.RequestAborted) ?? throw NotFound(id);
        await JobApi.WriteAsync(context, JobJson.Batch(batch));
    }

    private static async Task JobsAsync(HttpContext context, ISwitchboardStore store)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var batch = await store.GetBatchAsync(id, context.RequestAborted) ?? throw NotFound(id);
        var query = JobEndpoints.Query(context.Request.Query, batch.Id);
        if (!context.Request.Query.ContainsKey("limit")) query = query with { Limit = JobQuery.MaxLimit };
        await JobApi.WriteAsync(context, JobJson.List(await store.ListJobsAsync(query, context.RequestAborted)));
    }

    private static async Task CancelAsync(HttpContext context, ISwitchboardStore store, JobWorkers workers)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var batch = await store.CancelBatchAsync(id, context.RequestAborted) ?? throw NotFound(id);
        workers.CancelBatch(id);
        await JobApi.WriteAsync(context, JobJson.Batch(batch));
    }

    private static SwitchboardException NotFound(string id) =>
        new(ErrorCategory.NotFound, 404, $"There is no batch with id {id}.", code: "batch_not_found");
}
