using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Configuration;
using Switchboard.Execution;

namespace Switchboard.Gateway;

/// <summary>Reads a request body into pooled memory, refusing one over the configured size before and while reading.</summary>
internal static class RequestBody
{
    public static async Task<PooledBufferWriter> ReadAsync(HttpContext context, long limit)
    {
        var declared = context.Request.ContentLength;
        if (declared > limit)
        {
            LetKestrelDrain(context, limit);
            throw TooLarge(limit);
        }
        var body = new PooledBufferWriter((int)Math.Min(declared ?? 4096, limit) + 1);
        try
        {
            if (!await body.ReadFromAsync(context.Request.Body, limit, context.RequestAborted)) throw TooLarge(limit);
            return body;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            throw TooLarge(limit);
        }
        catch (SwitchboardException)
        {
            body.Dispose();
            LetKestrelDrain(context, limit);
            throw;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A client still uploading only sees our 413 if the server reads (and discards) the rest of its body;
    /// past Kestrel's own limit it would reset the connection instead. Draining is bounded, so a huge upload
    /// still gets cut off.
    /// </summary>
    private static void LetKestrelDrain(HttpContext context, long limit)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = Math.Max(4 * limit, 64L * 1024 * 1024);
    }

    private static SwitchboardException TooLarge(long limit) =>
        new(ErrorCategory.BadRequest, 413,
            $"The request body is larger than this gateway accepts ({ConfigValues.FormatSize(limit)}). Send less (smaller or fewer images), or raise server.max_request_body in switchboard.yaml.",
            code: "request_too_large");
}
