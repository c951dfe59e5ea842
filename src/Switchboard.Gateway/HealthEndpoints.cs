using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (it can take requests, with the providers it can call).</summary>
internal static class HealthEndpoints
{
    public static void Map(WebApplication app, SwitchboardRuntime runtime)
    {
        var live = "{\"status\":\"live\"}"u8.ToArray();
        var ready = Ready(runtime);
        app.MapGet("/health/live", (HttpContext context) => Write(context, live));
        app.MapGet("/health/ready", (HttpContext context) => Write(context, ready));
    }

    private static Task Write(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Ready(SwitchboardRuntime runtime)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status", "ready");
            writer.WriteStartArray("providers");
            foreach (var provider in runtime.Providers.All.Where(p => p.IsEnabled)) writer.WriteStringValue(provider.Name);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
