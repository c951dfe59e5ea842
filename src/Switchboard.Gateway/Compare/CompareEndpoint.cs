using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Execution;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Gateway.Compare;

/// <summary>
/// <c>POST /api/compare</c>: one prompt to several models in parallel, answered with each model's text, latency, tokens
/// and cost side by side. Guarded like the rest of <c>/api</c>: the master key when the gateway has one, never a virtual key.
/// </summary>
internal static class CompareEndpoint
{
    public static void Map(WebApplication app, Comparison comparison, long maxBody) =>
        app.MapPost("/api/compare", context => HandleAsync(context, comparison, maxBody));

    private static async Task HandleAsync(HttpContext context, Comparison comparison, long maxBody)
    {
        var timing = RequestTiming.Start();
        try
        {
            ComparisonRequest request;
            using (var body = await RequestBody.ReadAsync(context, maxBody)) request = ComparisonRequest.Parse(body.WrittenMemory);
            var result = await comparison.RunAsync(request, context.RequestAborted);
            using var output = new PooledBufferWriter(4096);
            using (var json = new Utf8JsonWriter(output)) ComparisonJson.Write(json, result);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, OpenAIClientDialect.Instance, error, timing);
        }
    }
}
