using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Execution;

namespace Switchboard.Gateway;

/// <summary>Writes a failure as a whole response in the client's dialect, with the right status and the decision headers.</summary>
internal static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, IClientDialect dialect, SwitchboardException error, RequestTiming timing)
    {
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = "application/json";
        var headers = response.Headers;
        if (error.Provider is not null) headers[SwitchboardHeaders.Provider] = error.Provider;
        if (error.AttemptLog is { Count: > 0 } log) headers[SwitchboardHeaders.Attempts] = log.ToString();
        else if (error.Attempts > 0) headers[SwitchboardHeaders.Attempts] = error.Attempts.ToString(CultureInfo.InvariantCulture);
        if (error.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
            headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        headers[SwitchboardHeaders.OverheadMs] = timing.OverheadMilliseconds();
        using var body = new PooledBufferWriter(512);
        dialect.WriteError(error, body);
        await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted);
    }
}
