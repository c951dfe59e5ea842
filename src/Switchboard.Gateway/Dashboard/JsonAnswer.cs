using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Execution;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Gateway.Dashboard;

/// <summary>What the dashboard's small <c>/api</c> endpoints share: a JSON answer, and a bad parameter as a 400 in OpenAI's error shape.</summary>
internal static class JsonAnswer
{
    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        using var output = new PooledBufferWriter(2048);
        using (var json = new Utf8JsonWriter(output)) write(json);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(output.WrittenMemory, context.RequestAborted);
    }

    /// <summary>Runs <paramref name="handle"/>; a <see cref="SwitchboardException"/> it throws becomes the error response.</summary>
    public static async Task GuardAsync(HttpContext context, Func<Task> handle)
    {
        var timing = RequestTiming.Start();
        try
        {
            await handle();
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, OpenAIClientDialect.Instance, error, timing);
        }
    }

    public static SwitchboardException Bad(string parameter, string message) =>
        new(ErrorCategory.BadRequest, 400, message, param: parameter, code: "invalid_parameter");

    public static void WriteNumberOrNull(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } number) json.WriteNumber(name, number);
        else json.WriteNull(name);
    }
}
