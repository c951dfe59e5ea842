using Microsoft.AspNetCore.Http;
using Switchboard.Execution;

namespace Switchboard.Gateway;

/// <summary>Reads a request body into pooled memory, refusing one over the configured size before and while reading.</summary>
internal static class RequestBody
{
    public static async Task<PooledBufferWriter> ReadAsync(HttpContext context, long limit)
    {
        var declared = context.Request.ContentLength;
        if (declared > limit) throw TooLarge(limit);
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
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static SwitchboardException TooLarge(long limit) =>
        new(ErrorCategory.BadRequest, 413,
            $"The request body is larger than this gateway accepts ({limit / (1024.0 * 1024):0.#} MiB). Send less (smaller or fewer images), or raise server.max_request_body in switchboard.yaml.",
            code: "request_too_large");
}
