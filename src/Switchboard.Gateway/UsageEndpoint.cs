using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Providers.OpenAI;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// <c>GET /api/usage</c>: the usage log aggregated, as JSON (the <see cref="UsageReport"/>) or CSV. Query parameters:
/// <c>group_by</c>, <c>from</c>, <c>to</c>, <c>key</c>, <c>route</c>, <c>agent</c>, <c>provider</c>, <c>model</c>,
/// <c>user</c>, <c>format</c>.
/// </summary>
internal static class UsageEndpoint
{
    public static void Map(WebApplication app) => app.MapGet("/api/usage", HandleAsync);

    private static async Task HandleAsync(HttpContext context)
    {
        var timing = RequestTiming.Start();
        try
        {
            var store = context.RequestServices.GetService<ISwitchboardStore>()
                ?? throw new SwitchboardException(ErrorCategory.NotFound, 409,
                    "Usage reports need a store, and this gateway runs with storage: none. Set storage: sqlite:switchboard.db (or a postgres:// URL) to keep the usage log.",
                    code: "no_store");
            var query = Query(context.Request.Query);
            var csv = Csv(context.Request);
            // Reports include the requests just answered: their records may still be queued for the next batch.
            if (context.RequestServices.GetRequiredService<UsageRecorder>().Writer is { } writer) await writer.FlushAsync(context.RequestAborted);
            var report = await store.QueryUsageAsync(query, context.RequestAborted);
            if (csv)
            {
                context.Response.ContentType = "text/csv; charset=utf-8";
                await context.Response.WriteAsync(UsageReports.ToCsv(report), context.RequestAborted);
                return;
            }
            context.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(context.Response.Body, report, StorageJsonContext.Default.UsageReport, context.RequestAborted);
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, OpenAIClientDialect.Instance, error, timing);
        }
    }

    private static UsageQuery Query(IQueryCollection query)
    {
        IReadOnlyList<UsageDimension> groupBy;
        try
        {
            groupBy = UsageReports.ParseGroupBy(query["group_by"].ToString());
        }
        catch (FormatException e)
        {
            throw Bad("group_by", "group_by: " + e.Message);
        }
        var from = Time(query, "from");
        var to = Time(query, "to");
        if (from is { } start && to is { } end && end <= start) throw Bad("to", "to must be later than from (the range includes from and excludes to).");
        return new UsageQuery
        {
            GroupBy = groupBy,
            From = from,
            To = to,
            KeyId = Text(query, "key"),
            Route = Text(query, "route"),
            Agent = Text(query, "agent"),
            Provider = Text(query, "provider"),
            Model = Text(query, "model"),
            User = Text(query, "user"),
        };
    }

    /// <summary>CSV when <c>format=csv</c>, or when no format is given and the client accepts <c>text/csv</c>.</summary>
    private static bool Csv(HttpRequest request)
    {
        var format = request.Query["format"].ToString();
        if (format.Length == 0) return request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase);
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(format, "json", StringComparison.OrdinalIgnoreCase)) return false;
        throw Bad("format", $"format: '{format}' is not a report format; use json or csv.");
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        if (Text(query, name) is not { } text) return null;
        try
        {
            return UsageReports.ParseTime(text);
        }
        catch (FormatException e)
        {
            throw Bad(name, name + ": " + e.Message);
        }
    }

    private static string? Text(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } value ? value : null;

    private static SwitchboardException Bad(string parameter, string message) =>
        new(ErrorCategory.BadRequest, 400, message, param: parameter, code: "invalid_parameter");
}
