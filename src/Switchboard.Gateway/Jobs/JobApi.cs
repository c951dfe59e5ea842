using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchboard.Providers.OpenAI;
using Switchboard.Storage;

namespace Switchboard.Gateway.Jobs;

/// <summary>What the job and batch endpoints share: who may call them, the store and workers, reading and answering.</summary>
internal sealed class JobApi(ISwitchboardStore? store, JobWorkers? workers, JobSubmissions submissions, long maxBody, TimeProvider time)
{
    public JobSubmissions Submissions => submissions;

    /// <summary>The largest body accepted: <c>server.max_request_body</c>.</summary>
    public long MaxBody => maxBody;

    public TimeProvider Time => time;

    /// <summary>Runs <paramref name="handle"/> for the master key with a store, and answers any refusal as an OpenAI error.</summary>
    public async Task GuardedAsync(HttpContext context, Func<ISwitchboardStore, JobWorkers, Task> handle)
    {
        try
        {
            if (GatewayCaller.Of(context) is { Master: false })
            {
                throw new SwitchboardException(ErrorCategory.Authentication, 403,
                    "Jobs and batches need the gateway's master key, not a virtual key: send Authorization: Bearer <master key>.",
                    code: "master_key_required");
            }
            if (store is null || workers is null)
            {
                throw new SwitchboardException(ErrorCategory.Unavailable, 503,
                    "Jobs live in the store, and this gateway runs without one (storage: none). Set storage: (sqlite:PATH or a postgres:// URL) or SWITCHBOARD_DATABASE_URL.",
                    code: "no_store");
            }
            await handle(store, workers);
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, OpenAIClientDialect.Instance, error, RequestTiming.Start());
        }
    }

    /// <summary>A JSON document from a body (or one line of it, <paramref name="where"/> naming it), or a 400 that says where it is broken.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, string? where = null)
    {
        try
        {
            return JsonDocument.Parse(json.Length == 0 ? "null"u8.ToArray() : json);
        }
        catch (JsonException e)
        {
            throw SwitchboardException.BadRequest($"{where ?? "The body"} is not valid JSON: {e.Message}");
        }
    }

    public static async Task WriteAsync(HttpContext context, JsonNode json, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }
}
