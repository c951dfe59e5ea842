using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Catalog;
using Switchboard.Execution;
using Switchboard.Providers.OpenAI;
using Switchboard.Usage;

namespace Switchboard.Gateway;

/// <summary>
/// <c>POST /v1/chat/completions</c>. The same dialect upstream means pass-through: the body goes out as bytes
/// with only the model (and any unsupported parameters) changed, and the answer comes back as bytes, a
/// stream copied as it arrives while a tap reads its usage.
/// </summary>
internal sealed class ChatCompletionsEndpoint(SwitchboardRuntime runtime)
{
    private const int CopyBufferSize = 16 * 1024;
    private const long MaxUpstreamBody = 64L * 1024 * 1024;

    public async Task HandleAsync(HttpContext context)
    {
        var timing = RequestTiming.Start();
        UpstreamResult? result = null;
        try
        {
            using var body = await RequestBody.ReadAsync(context, runtime.Options.Server.MaxRequestBodyBytes);
            using var upstreamBody = new PooledBufferWriter(body.WrittenCount + 128);
            var prepared = runtime.Prepare(body.WrittenSpan, upstreamBody);
            context.Response.Headers[SwitchboardHeaders.Model] = prepared.Target.Model;
            context.Response.Headers[SwitchboardHeaders.Provider] = prepared.Target.Provider.Name;
            if (prepared.DroppedParameters is not null) context.Response.Headers[SwitchboardHeaders.DroppedParams] = prepared.DroppedParameters;

            result = await runtime.Executor.SendAsync(prepared.Target, upstreamBody.WrittenMemory, prepared.Envelope.Stream, context.RequestAborted);
            timing.AddUpstream(result.UpstreamTime);
            if (!result.Response.IsSuccess) throw await UpstreamErrors.ReadAsync(result, result.Token);

            if (prepared.Envelope.Stream) await StreamAsync(context, result, timing);
            else await WholeAsync(context, result, timing);
        }
        catch (SwitchboardException error)
        {
            await FailAsync(context, error, timing);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (OperationCanceledException) when (result is not null)
        {
            await FailAsync(context, ChatExecutor.TimedOut(result.Target, result.Attempts, runtime.Options.Resilience.Timeout), timing);
        }
        finally
        {
            result?.Dispose();
        }
    }

    private static async Task WholeAsync(HttpContext context, UpstreamResult result, RequestTiming timing)
    {
        var upstream = result.Response;
        var read = System.Diagnostics.Stopwatch.GetTimestamp();
        using var answer = new PooledBufferWriter((int)Math.Min(upstream.ContentLength ?? 4096, MaxUpstreamBody));
        try
        {
            if (!await answer.ReadFromAsync(upstream.Body, MaxUpstreamBody, result.Token))
                throw UpstreamErrors.Malformed(result.Target, result.Attempts, $"the body is larger than {MaxUpstreamBody / (1024 * 1024)} MB");
        }
        catch (IOException e)
        {
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the connection broke off before the body ended (" + e.Message + ")");
        }
        timing.AddUpstream(System.Diagnostics.Stopwatch.GetElapsedTime(read));

        TokenUsage? usage;
        try
        {
            usage = OpenAIUsageReader.Read(answer.WrittenSpan);
        }
        catch (JsonException)
        {
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the body is not valid JSON");
        }

        var response = context.Response;
        response.StatusCode = upstream.StatusCode;
        response.ContentType = "application/json";
        response.ContentLength = answer.WrittenCount;
        WriteDecision(response, result, timing);
        if (usage is { } tokens && CostCalculator.Cost(tokens, result.Target.CatalogModel) is { } cost)
            response.Headers[SwitchboardHeaders.CostUsd] = cost.ToString("0.##########", CultureInfo.InvariantCulture);
        await response.Body.WriteAsync(answer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>
    /// Copies the provider's events as they arrive. Headers wait for the first bytes, so a stream that fails
    /// before anything is sent still gets a whole error response; after that a failure ends it with an error event.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, UpstreamResult result, RequestTiming timing)
    {
        result.ClearDeadline();
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        WriteDecision(response, result, timing);

        using var tap = new OpenAIStreamTap();
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await result.Response.Body.ReadAsync(buffer, context.RequestAborted);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    await EndStreamAsync(context, result, tap, "the stream broke off before it ended (" + e.Message + ")");
                    return;
                }
                if (read == 0) break;
                tap.Relay(buffer.AsSpan(0, read), response.BodyWriter);
                if (tap.Malformed is { } malformed)
                {
                    await EndStreamAsync(context, result, tap, malformed);
                    return;
                }
                if (tap.Forwarded > 0) await response.BodyWriter.FlushAsync(context.RequestAborted);
            }
            if (!tap.Done) await EndStreamAsync(context, result, tap, "the stream ended without its final data: [DONE] event");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Task EndStreamAsync(HttpContext context, UpstreamResult result, OpenAIStreamTap tap, string what)
    {
        var error = UpstreamErrors.Malformed(result.Target, result.Attempts, what);
        // Nothing sent yet: the client can still get a whole error response instead of a broken stream.
        if (tap.Forwarded == 0) throw error;
        return OpenAIErrors.WriteEventAsync(context, error);
    }

    private static void WriteDecision(HttpResponse response, UpstreamResult result, RequestTiming timing)
    {
        var headers = response.Headers;
        headers[SwitchboardHeaders.Attempts] = result.Attempts.ToString(CultureInfo.InvariantCulture);
        if (result.Response.RequestId is { } requestId) headers[SwitchboardHeaders.UpstreamRequestId] = requestId;
        headers[SwitchboardHeaders.OverheadMs] = timing.OverheadMilliseconds();
    }

    private static async Task FailAsync(HttpContext context, SwitchboardException error, RequestTiming timing)
    {
        if (context.Response.HasStarted)
        {
            await OpenAIErrors.WriteEventAsync(context, error);
            return;
        }
        // Headers set for a success that did not happen must not reach the client.
        context.Response.Headers.Remove(SwitchboardHeaders.CostUsd);
        context.Response.Headers.CacheControl = default;
        await OpenAIErrors.WriteAsync(context, error, timing);
    }
}
