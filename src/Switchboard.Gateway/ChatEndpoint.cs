using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Execution;
using Switchboard.Routing;
using Switchboard.Storage;
using Switchboard.Usage;

namespace Switchboard.Gateway;

/// <summary>
/// One chat endpoint per client dialect (<c>/v1/chat/completions</c>, <c>/v1/messages</c>). When the provider speaks
/// the client's dialect the body goes out as bytes with only the model (and any unsupported parameters) changed,
/// and the answer comes back as bytes, a stream relayed as it arrives while its usage is read. Otherwise request,
/// answer and stream are translated through the canonical shape.
/// </summary>
internal sealed class ChatEndpoint(SwitchboardRuntime runtime, IClientDialect dialect, UsageRecorder usage, RequestLimits limits)
{
    private const int CopyBufferSize = 16 * 1024;
    private const long MaxUpstreamBody = 64L * 1024 * 1024;

    /// <summary>Bytes of a translated stream per token of answer: one event of some 150 bytes carries about one token.</summary>
    private const int StreamBytesPerToken = 150;

    public IClientDialect Dialect => dialect;

    public async Task HandleAsync(HttpContext context)
    {
        var timing = RequestTiming.Start();
        var account = new RequestUsage(runtime.Time.GetUtcNow(), runtime.Time.GetTimestamp());
        UpstreamResult? result = null;
        var key = GatewayCaller.Of(context)?.Key;
        usage.Metrics.RequestStarted();
        using var span = SwitchboardTracing.Source.StartActivity("chat", ActivityKind.Server);
        try
        {
            using var body = await RequestBody.ReadAsync(context, runtime.Options.Server.MaxRequestBodyBytes);
            var envelope = dialect.Scan(body.WrittenSpan);
            var decision = await limits.CheckAsync(context.Response.Headers, key, Route(context.Request, body, envelope, account), context.RequestAborted);
            account.Decision = decision;
            using var upstreamBody = new PooledBufferWriter(body.WrittenCount + 128);
            var call = await runtime.CallAsync(dialect, body.WrittenMemory, envelope, decision, upstreamBody, ForwardedHeaders(context.Request), context.RequestAborted);
            result = call.Result;
            var prepared = call.Prepared;
            account.Target = prepared.Target;
            account.Log = result.Log;
            var headers = context.Response.Headers;
            headers[SwitchboardHeaders.Model] = prepared.Target.Model;
            headers[SwitchboardHeaders.Provider] = prepared.Target.Provider.Name;
            if (decision.Route is { } route) headers[SwitchboardHeaders.Route] = route;
            if (decision.Rule is { } rule) headers[SwitchboardHeaders.Rule] = HeaderText(rule);
            if (prepared.DroppedParameters is not null) headers[SwitchboardHeaders.DroppedParams] = prepared.DroppedParameters;
            timing.AddUpstream(result.UpstreamTime);

            var outputEstimate = !envelope.Stream ? await WholeAsync(context, result, prepared, timing, account, key)
                : prepared.Translated ? await TranslateStreamAsync(context, result, prepared, timing, account)
                : await RelayStreamAsync(context, result, envelope, timing, account);
            if (account.Tokens is null)
            {
                // The provider said nothing of its usage: count it as well as the gateway can, and say it is an estimate.
                account.Tokens = new TokenUsage(PromptAnalyzer.Analyze(body.WrittenSpan).EstimatedTokens, outputEstimate);
                account.Estimated = true;
            }
        }
        catch (SwitchboardException error)
        {
            account.Error = error;
            await FailAsync(context, error, timing);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (OperationCanceledException) when (result is not null)
        {
            account.Error = ChatExecutor.TimedOut(result.Target, result.Attempts, runtime.Executor.TimeoutFor(stream: false), stream: false);
            await FailAsync(context, account.Error, timing);
        }
        finally
        {
            result?.Dispose();
            // 499: nginx's word for a client that closed the request before the answer was whole.
            var status = context.RequestAborted.IsCancellationRequested ? 499 : account.Error?.StatusCode ?? context.Response.StatusCode;
            usage.Metrics.RequestEnded();
            var record = account.ToRecord(status, runtime.Time, keyId: key?.Id);
            if (span is not null) Trace(span, record);
            await usage.RecordAsync(record);
            await limits.ChargeAsync(account, key);
        }
    }

    /// <summary>The request's span carries what its usage record says (never the key itself: its id).</summary>
    internal static void Trace(Activity span, UsageRecord record)
    {
        span.SetTag("switchboard.route", record.Route);
        span.SetTag("switchboard.rule", record.Rule);
        span.SetTag("switchboard.provider", record.Provider);
        span.SetTag("switchboard.model", record.Model);
        span.SetTag("switchboard.key_id", record.KeyId);
        span.SetTag("switchboard.attempts", record.Attempts);
        span.SetTag("switchboard.input_tokens", record.InputTokens);
        span.SetTag("switchboard.output_tokens", record.OutputTokens);
        if (record.CostUsd is { } cost) span.SetTag("switchboard.cost_usd", (double)cost);
        span.SetTag("http.response.status_code", record.Status);
        if (record.ErrorCategory is { } category) span.SetStatus(ActivityStatusCode.Error, category);
    }

    /// <summary>
    /// The decision for the request. A plain model with no routing fields is decided once for all requests; anything
    /// else reads the request's routing fields (and takes them out of the metadata sent on).
    /// </summary>
    private RoutingDecision Route(HttpRequest request, PooledBufferWriter body, ChatRequestEnvelope envelope, RequestUsage account)
    {
        var fields = runtime.Router.NeedsContext(envelope.Model) || RoutingFields.Present(request, body.WrittenSpan, envelope)
            ? RoutingFields.Read(request, body.WrittenSpan, envelope)
            : null;
        account.Fields = fields;
        var decision = runtime.Route(envelope, body.WrittenMemory, fields);
        account.Decision = decision;
        return decision;
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

    /// <returns>The answer's tokens as estimated from its size, in case the provider sent no usage.</returns>
    private async Task<int> WholeAsync(HttpContext context, UpstreamResult result, PreparedChat prepared, RequestTiming timing, RequestUsage account, VirtualKey? key)
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
        account.Tokens = usage;
        // Charged before the answer goes out, so a client that asks again (here or at another gateway) finds the spend counted.
        if (usage is not null) await limits.ChargeAsync(account, key);
        await httpResponse.Body.WriteAsync(bytes, context.RequestAborted);
        return answer.WrittenCount / PromptScanner.BytesPerToken;
    }

    /// <summary>
    /// Relays a same-dialect stream as it arrives. Headers wait for the first bytes, so a stream that fails
    /// before anything is sent still gets a whole error response; after that a failure ends it with an error event.
    /// </summary>
    /// <returns>The answer's tokens as estimated from its events (about one token each), in case the provider sent no usage.</returns>
    private async Task<int> RelayStreamAsync(HttpContext context, UpstreamResult result, ChatRequestEnvelope envelope, RequestTiming timing, RequestUsage account)
    {
        StartStream(context.Response, result, timing);
        using var relay = dialect.CreateRelay(envelope);
        var pumped = await PumpAsync(context, result, account, (bytes, output) =>
            {
                relay.Relay(bytes.Span, output);
                return (relay.Forwarded, relay.ErrorForwarded ? null : relay.Malformed);
            });
        account.Tokens = relay.Usage;
        // The provider's own error event has told the client; a second from the gateway would only repeat it.
        if (pumped && !relay.Done && !relay.ErrorForwarded) await EndStreamAsync(context, result, relay.Forwarded, "the stream ended without its final event");
        return relay.Events;
    }

    /// <summary>Decodes the provider's stream into canonical events and encodes them in the client's dialect as they come.</summary>
    /// <returns>The answer's tokens as estimated from its size, in case the provider sent no usage.</returns>
    private async Task<int> TranslateStreamAsync(HttpContext context, UpstreamResult result, PreparedChat prepared, RequestTiming timing, RequestUsage account)
    {
        var response = context.Response;
        StartStream(response, result, timing);
        using var decoder = result.Target.Provider.Adapter!.CreateStreamDecoder();
        using var encoder = dialect.CreateStreamEncoder(response.BodyWriter, prepared.Envelope, result.Target.Model, runtime.Time.GetUtcNow().ToUnixTimeSeconds());
        var pumped = await PumpAsync(context, result, account, (bytes, _) =>
            {
                decoder.Decode(bytes.Span, encoder);
                return (encoder.Written, decoder.Malformed);
            });
        account.Tokens = decoder.Usage;
        var estimate = (int)(encoder.Written / StreamBytesPerToken);
        if (!pumped) return estimate;
        if (!decoder.Completed)
        {
            await EndStreamAsync(context, result, encoder.Written, "the stream ended without its final event");
            return estimate;
        }
        encoder.Complete();
        await response.BodyWriter.FlushAsync(context.RequestAborted);
        return estimate;
    }

    /// <summary>
    /// Reads the provider's stream and hands each read to <paramref name="forward"/>, flushing what it wrote.
    /// False when the stream broke or was malformed (the client has been told).
    /// </summary>
    private async Task<bool> PumpAsync(HttpContext context, UpstreamResult result, RequestUsage account, Func<ReadOnlyMemory<byte>, IBufferWriter<byte>, (long Written, string? Malformed)> forward)
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
                if (total > written)
                {
                    if (written == 0) account.FirstByte = runtime.Time.GetTimestamp();
                    await writer.FlushAsync(context.RequestAborted);
                }
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
