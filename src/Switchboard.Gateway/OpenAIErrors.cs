using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;

namespace Switchboard.Gateway;

/// <summary>Writes failures in OpenAI's error shape with the right status, for whole responses and inside streams.</summary>
internal static class OpenAIErrors
{
    public static async Task WriteAsync(HttpContext context, SwitchboardException error, RequestTiming timing)
    {
        var response = context.Response;
        response.StatusCode = error.StatusCode;
        response.ContentType = "application/json";
        var headers = response.Headers;
        if (error.Provider is not null) headers[SwitchboardHeaders.Provider] = error.Provider;
        headers[SwitchboardHeaders.Attempts] = error.Attempts.ToString(CultureInfo.InvariantCulture);
        if (error.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
            headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        headers[SwitchboardHeaders.OverheadMs] = timing.OverheadMilliseconds();
        await JsonSerializer.SerializeAsync(response.Body, Body(error), ChatJsonContext.Readable.ErrorResponse, context.RequestAborted);
    }

    /// <summary>Ends a stream that has already started with an error event, as OpenAI's API does.</summary>
    public static async Task WriteEventAsync(HttpContext context, SwitchboardException error)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Body(error), ChatJsonContext.Readable.ErrorResponse);
        var writer = context.Response.BodyWriter;
        writer.Write("data: "u8);
        writer.Write(json);
        writer.Write("\n\n"u8);
        await writer.FlushAsync(context.RequestAborted);
    }

    public static ErrorResponse Body(SwitchboardException error) => new()
    {
        Error = new ErrorDetail
        {
            Message = error.Message,
            Type = TypeOf(error.Category),
            Param = error.Param,
            Code = error.Code,
        },
    };

    /// <summary>OpenAI's error types; an unknown model is an <c>invalid_request_error</c> with code <c>model_not_found</c> there too.</summary>
    private static string TypeOf(ErrorCategory category) => category switch
    {
        ErrorCategory.Authentication => "authentication_error",
        ErrorCategory.RateLimited => "rate_limit_error",
        ErrorCategory.Timeout => "timeout_error",
        ErrorCategory.Unavailable => "api_error",
        _ => "invalid_request_error",
    };
}
