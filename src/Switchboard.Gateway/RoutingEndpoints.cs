using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Execution;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;

namespace Switchboard.Gateway;

/// <summary>
/// <c>POST /v1/route/explain</c>: the decision a chat request would get, calling no one; and
/// <c>GET /health/providers</c>: each provider's health and each deployment's circuit, from the calls made so far.
/// </summary>
internal static class RoutingEndpoints
{
    public static void Map(WebApplication app, SwitchboardRuntime runtime)
    {
        app.MapPost("/v1/route/explain", context => ExplainAsync(context, runtime));
        app.MapGet("/health/providers", context => ProvidersAsync(context, runtime));
    }

    private static async Task ExplainAsync(HttpContext context, SwitchboardRuntime runtime)
    {
        var timing = RequestTiming.Start();
        var dialect = OpenAIClientDialect.Instance;
        try
        {
            using var body = await RequestBody.ReadAsync(context, runtime.Options.Server.MaxRequestBodyBytes);
            var decision = runtime.Explain(body.WrittenMemory, fields => RoutingFields.ApplyHeaders(context.Request, fields));
            using var output = new PooledBufferWriter(2048);
            using (var json = new Utf8JsonWriter(output)) DecisionJson.Write(json, decision, runtime.Deployments, runtime.Executor.TimeoutFor(stream: false));
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, dialect, error, timing);
        }
    }

    private static async Task ProvidersAsync(HttpContext context, SwitchboardRuntime runtime)
    {
        var deployments = runtime.Deployments;
        using var output = new PooledBufferWriter(2048);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteStartArray("providers");
            foreach (var provider in runtime.Providers.All.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var called = deployments.Deployments.Where(d => string.Equals(d.Provider, provider.Name, StringComparison.OrdinalIgnoreCase)).OrderBy(d => d.Model, StringComparer.Ordinal).ToList();
                if (!provider.IsEnabled && called.Count == 0) continue;
                var report = deployments.Report(provider.Name);
                json.WriteStartObject();
                json.WriteString("name", provider.Name);
                json.WriteString("status", report.Status);
                json.WriteBoolean("configured", provider.IsEnabled);
                json.WriteNumber("calls", report.Calls);
                json.WriteNumber("failures", report.Failures);
                json.WriteNumber("error_rate", Math.Round(report.ErrorRate, 4));
                WriteMilliseconds(json, "p50_ms", report.P50Milliseconds);
                WriteMilliseconds(json, "p95_ms", report.P95Milliseconds);
                json.WriteStartArray("deployments");
                foreach (var deployment in called)
                {
                    json.WriteStartObject();
                    json.WriteString("model", deployment.Model);
                    json.WriteString("circuit", deployment.Circuit);
                    json.WriteNumber("in_flight", deployment.InFlight);
                    WriteMilliseconds(json, "first_byte_ms", deployment.FirstByteMilliseconds);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    private static void WriteMilliseconds(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } ms) json.WriteNumber(name, Math.Round(ms, 1));
        else json.WriteNull(name);
    }
}
