using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Execution;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Gateway;

/// <summary>
/// One chat endpoint per client dialect (<c>/v1/chat/completions</c>, <c>/v1/messages</c>). When the provider speaks
/// the client's dialect the body goes out as bytes with only the model (and any unsupported parameters) changed,
/// and the answer comes back as bytes, a stream relayed as it arrives while its usage is read. Otherwise request,
/// answer and stream are translated through the canonical shape.
/// </summary>
internal sealed class ChatEndpoint(SwitchboardRuntime runtime, IClientDialect dialect)
{
    private const int CopyBufferSize = 16 * 1024;
    private const long MaxUpstreamBody = 64L * 1024 * 1024;

    public IClientDialect Dialect => dialect;

    public async Task HandleAsync(HttpContext context)
    {
        var timing = RequestTiming.Start();
        UpstreamResult? result = null;
        try
        {
            using var body = await RequestBody.ReadAsync(context, runtime.Options.Server.MaxRequestBodyBytes);
            var envelope = dialect.Scan(body.WrittenSpan);
            var decision = Route(context.Request, body, envelope);
            using var upstreamBody = new PooledBufferWriter(body.WrittenCount + 128);
            var call = await runtime.CallAsync(dialect, body.WrittenMemory, envelope, decision, upstreamBody, ForwardedHeaders(context.Request), context.RequestAborted);
            result = call.Result;
            var prepared = call.Prepared;
            var headers = context.Response.Headers;
            headers[SwitchboardHeaders.Model] = prepared.Target.Model;
            headers[SwitchboardHeaders.Provider] = prepared.Target.Provider.Name;
            if (decision.Route is { } route) headers[SwitchboardHeaders.Route] = route;
            if (decision.Rule is { } rule) headers[SwitchboardHeaders.Rule] = HeaderText(rule);
            if (prepared.DroppedParameters is not null) headers[SwitchboardHeaders.DroppedParams] = prepared.DroppedParameters;
            timing.AddUpstream(result.UpstreamTime);

            if (!envelope.Stream) await WholeAsync(context, result, prepared, timing);
            else if (prepared.Translated) await TranslateStreamAsync(context, result, prepared, timing);
            else await RelayStreamAsync(context, result, timing);
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
            await FailAsync(context, ChatExecutor.TimedOut(result.Target, result.Attempts, runtime.Executor.TimeoutFor(stream: false), stream: false), timing);
        }
        finally
        {
            result?.Dispose();
        }
    }

    /// <summary>
    /// The decision for the request. A plain model with no routing fields is decided once for all requests; anything
    /// else reads the request's routing fields (and takes them out of the metadata sent on).
    /// </summary>
    private RoutingDecision Route(HttpRequest request, PooledBufferWriter body, ChatRequestEnvelope envelope)
    {
        var fields = runtime.Router.NeedsContext(envelope.Model) || RoutingFields.Present(request, body.WrittenSpan, envelope)
            ? RoutingFields.Read(request, body.WrittenSpan, envelope)
            : null;
        return runtime.Route(envelope, body.WrittenMemory, fields);
    }

    /// <summary>Header values must be visible ASCII; a rule's reason written in another script is sent percent-encoded.</summary>
    private static string HeaderText(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~') return Uri.EscapeDataString(text);
        }
        return text;
    }

    private async Task WholeAsync(HttpContext context, UpstreamResult result, PreparedChat prepared, RequestTiming timing)
    {
        var upstream = result.Response;
        var read = Stopwatch.GetTimestamp();
        using var answer = new PooledBufferWriter((int)Math.Min(upstream.ContentLength ?? 4096, MaxUpstreamBody));
        try
        {
            if (!await answer.ReadFromAsync(upstream.Body, MaxUpstreamBody, result.Token))
                throw UpstreamErrors.Malformed(result.Target, result.Attempts, $"the body is larger than {MaxUpstreamBody / (1024 * 1024)} MB");
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the connection broke off before the body ended (" + e.Message + ")");
        }
        timing.AddUpstream(Stopwatch.GetElapsedTime(read));

        using var translated = prepared.Translated ? new PooledBufferWriter(answer.WrittenCount + 256) : null;
        TokenUsage? usage;
        try
        {
            if (translated is null)
            {
                usage = dialect.ReadUsage(answer.WrittenSpan);
            }
            else
            {
                var response = result.Target.Provider.Adapter!.ReadResponse(answer.WrittenSpan);
                // Some providers send no timestamp or model name; the client's dialect wants both.
                if (response.Created == 0) response = response with { Created = runtime.Time.GetUtcNow().ToUnixTimeSeconds() };
                if (response.Model.Length == 0) response = response with { Model = result.Target.Model };
                usage = response.Usage is { } u ? ChatUsageMapping.ToTokenUsage(u) : null;
                dialect.WriteResponse(response, translated);
            }
        }
        catch (JsonException)
        {
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the body is not valid JSON");
        }

        var bytes = translated?.WrittenMemory ?? answer.WrittenMemory;
        var httpResponse = context.Response;
        httpResponse.StatusCode = upstream.StatusCode;
        httpResponse.ContentType = "application/json";
        httpResponse.ContentLength = bytes.Length;
        WriteDecision(httpResponse, result, timing);
        if (usage is { } tokens && CostCalculator.Cost(tokens, result.Target.CatalogModel) is { } cost)
            httpResponse.Headers[SwitchboardHeaders.CostUsd] = cost.ToString("0.##########", CultureInfo.InvariantCulture);
        await httpResponse.Body.WriteAsync(bytes, context.RequestAborted);
    }

    /// <summary>
    /// Relays a same-dialect stream as it arrives. Headers wait for the first bytes, so a stream that fails
    /// before anything is sent still gets a whole error response; after that a failure ends it with an error event.
    /// </summary>
    private async Task RelayStreamAsync(HttpContext context, UpstreamResult result, RequestTiming timing)
    {
        StartStream(context.Response, result, timing);
        using var relay = dialect.CreateRelay();
        if (!await PumpAsync(context, result, (bytes, output) =>
            {
                relay.Relay(bytes.Span, output);
                return (relay.Forwarded, relay.ErrorForwarded ? null : relay.Malformed);
            })) return;
        // The provider's own error event has told the client; a second from the gateway would only repeat it.
        if (!relay.Done && !relay.ErrorForwarded) await EndStreamAsync(context, result, relay.Forwarded, "the stream ended without its final event");
    }

    /// <summary>Decodes the provider's stream into canonical events and encodes them in the client's dialect as they come.</summary>
    private async Task TranslateStreamAsync(HttpContext context, UpstreamResult result, PreparedChat prepared, RequestTiming timing)
    {
        var response = context.Response;
        StartStream(response, result, timing);
        using var decoder = result.Target.Provider.Adapter!.CreateStreamDecoder();
        using var encoder = dialect.CreateStreamEncoder(response.BodyWriter, prepared.Envelope, result.Target.Model, runtime.Time.GetUtcNow().ToUnixTimeSeconds());
        if (!await PumpAsync(context, result, (bytes, _) =>
            {
                decoder.Decode(bytes.Span, encoder);
                return (encoder.Written, decoder.Malformed);
            })) return;
        if (!decoder.Completed)
        {
            await EndStreamAsync(context, result, encoder.Written, "the stream ended without its final event");
            return;
        }
        encoder.Complete();
        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>
    /// Reads the provider's stream and hands each read to <paramref name="forward"/>, flushing what it wrote.
    /// False when the stream broke or was malformed (the client has been told).
    /// </summary>
    private async Task<bool> PumpAsync(HttpContext context, UpstreamResult result, Func<ReadOnlyMemory<byte>, IBufferWriter<byte>, (long Written, string? Malformed)> forward)
    {
        var writer = context.Response.BodyWriter;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long written = 0;
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
                    await EndStreamAsync(context, result, written, "the stream broke off before it ended (" + e.Message + ")");
                    return false;
                }
                if (read == 0) return true;
                var (total, malformed) = forward(buffer.AsMemory(0, read), writer);
                if (malformed is not null)
                {
                    await EndStreamAsync(context, result, total, malformed);
                    return false;
                }
                if (total > written) await writer.FlushAsync(context.RequestAborted);
                written = total;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The client's headers that describe its body, for a body that goes through untranslated; null when there are none.</summary>
    private List<KeyValuePair<string, string>>? ForwardedHeaders(HttpRequest request)
    {
        List<KeyValuePair<string, string>>? forwarded = null;
        foreach (var name in dialect.ForwardedHeaders)
        {
            if (request.Headers.TryGetValue(name, out var values) && values.Count > 0)
                (forwarded ??= []).Add(new(name, values.ToString()));
        }
        return forwarded;
    }

    private static void StartStream(HttpResponse response, UpstreamResult result, RequestTiming timing)
    {
        result.ClearDeadline();
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        WriteDecision(response, result, timing);
    }

    private async Task EndStreamAsync(HttpContext context, UpstreamResult result, long written, string what)
    {
        var error = UpstreamErrors.Malformed(result.Target, result.Attempts, what);
        // Nothing sent yet: the client can still get a whole error response instead of a broken stream.
        if (written == 0) throw error;
        dialect.WriteErrorEvent(error, context.Response.BodyWriter);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    private static void WriteDecision(HttpResponse response, UpstreamResult result, RequestTiming timing)
    {
        var headers = response.Headers;
        headers[SwitchboardHeaders.Attempts] = result.Log?.ToString() ?? result.Attempts.ToString(CultureInfo.InvariantCulture);
        if (result.Response.RequestId is { } requestId) headers[SwitchboardHeaders.UpstreamRequestId] = requestId;
        headers[SwitchboardHeaders.OverheadMs] = timing.OverheadMilliseconds();
    }

    private async Task FailAsync(HttpContext context, SwitchboardException error, RequestTiming timing)
    {
        if (context.Response.HasStarted)
        {
            dialect.WriteErrorEvent(error, context.Response.BodyWriter);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
            return;
        }
        // Headers set for a success that did not happen must not reach the client.
        context.Response.Headers.Remove(SwitchboardHeaders.CostUsd);
        context.Response.Headers.CacheControl = default;
        await ErrorResponses.WriteAsync(context, dialect, error, timing);
    }
}
