using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway;

/// <summary>
/// <c>GET /metrics</c>: the gateway's counters, histograms and live state in Prometheus's text format. Behind the
/// master key like <c>/api</c>, since its labels name keys' ids, routes and models.
/// </summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(WebApplication app, SwitchboardRuntime runtime, UsageRecorder usage)
    {
        app.MapGet("/metrics", async context =>
        {
            var providers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var provider in runtime.Providers.All)
            {
                if (provider.IsEnabled) providers.Add(provider.Name);
            }
            foreach (var deployment in runtime.Deployments.Deployments) providers.Add(deployment.Provider);
            var text = usage.Metrics.Format(runtime.Deployments, providers, usage.Writer);
            context.Response.ContentType = ContentType;
            await context.Response.WriteAsync(text, context.RequestAborted);
        });
    }
}
