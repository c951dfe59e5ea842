using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Execution;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Gateway.Execution;

/// <summary>
/// Chat requests the gateway makes for its own work (jobs, comparisons): the same routing, fallbacks, budgets, usage
/// log, metrics and spans as a request from a client, with the answer read whole instead of sent anywhere.
/// </summary>
internal sealed class GatewayChat(SwitchboardRuntime runtime, UsageRecorder usage, RequestLimits limits)
{
    private const long MaxAnswer = 64L * 1024 * 1024;

    public SwitchboardRuntime Runtime => runtime;

    /// <summary>
    /// Sends <paramref name="body"/>, an OpenAI chat-completions request that does not ask for a stream, and reads the
    /// whole answer. Failures come back in the outcome, never as exceptions; only <paramref name="cancellationToken"/>
    /// ends the call with an <see cref="OperationCanceledException"/> (the request is still logged, as status 499).
    /// </summary>
    public async Task<ChatOutcome> CompleteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var account = new RequestUsage(runtime.Time.GetUtcNow(), runtime.Time.GetTimestamp());
        var dialect = OpenAIClientDialect.Instance;
        UpstreamResult? result = null;
        ChatResponse? response = null;
        usage.Metrics.RequestStarted();
        using var span = SwitchboardTracing.Source.StartActivity("chat", ActivityKind.Internal);
        UsageRecord logged;
        try
        {
            var envelope = dialect.Scan(body.Span);
            if (envelope.Stream)
                throw new SwitchboardException(ErrorCategory.BadRequest, 400, "This request is run whole and cannot be streamed: leave out \"stream\".", param: "stream");
            var fields = runtime.Router.NeedsContext(envelope.Model) || envelope.IndexOf(body.Span, "metadata"u8) >= 0
                ? RoutingMetadata.FromBody(body.Span, envelope)
                : null;
            account.Fields = fields;
            account.Decision = runtime.Route(envelope, body, fields);
            var decision = await limits.CheckAsync(new HeaderDictionary(), key: null, account.Decision, cancellationToken);
            account.Decision = decision;
            using var upstreamBody = new PooledBufferWriter(body.Length + 128);
            var call = await runtime.CallAsync(dialect, body, envelope, decision, upstreamBody, null, cancellationToken);
            result = call.Result;
            account.Target = call.Prepared.Target;
            account.Log = result.Log;
            using var answer = new PooledBufferWriter(4096);
            if (!await answer.ReadFromAsync(result.Response.Body, MaxAnswer, result.Token))
                throw UpstreamErrors.Malformed(result.Target, result.Attempts, $"the body is larger than {MaxAnswer / (1024 * 1024)} MB");
            response = result.Target.Provider.Adapter!.ReadResponse(answer.WrittenSpan);
            account.Tokens = response.Usage is { } reported ? ChatUsageMapping.ToTokenUsage(reported) : null;
            if (account.Tokens is null)
            {
                account.Tokens = new TokenUsage(PromptAnalyzer.Analyze(body.Span).EstimatedTokens, answer.WrittenCount / PromptScanner.BytesPerToken);
                account.Estimated = true;
            }
        }
        catch (SwitchboardException error)
        {
            account.Error = error;
        }
        catch (JsonException) when (result is not null)
        {
            account.Error = UpstreamErrors.Malformed(result.Target, result.Attempts, "the body is not valid JSON");
        }
        catch (Exception e) when (e is IOException or HttpRequestException && result is not null)
        {
            account.Error = UpstreamErrors.Malformed(result!.Target, result.Attempts, "the connection broke off before the body ended (" + e.Message + ")");
        }
        catch (OperationCanceledException) when (result is not null && !cancellationToken.IsCancellationRequested)
        {
            account.Error = ChatExecutor.TimedOut(result.Target, result.Attempts, runtime.Executor.TimeoutFor(stream: false), stream: false);
        }
        finally
        {
            result?.Dispose();
            usage.Metrics.RequestEnded();
            var status = cancellationToken.IsCancellationRequested ? 499 : account.Error?.StatusCode ?? 200;
            logged = account.ToRecord(status, runtime.Time, keyId: null);
            if (span is not null) ChatEndpoint.Trace(span, logged);
            await usage.RecordAsync(logged);
            await limits.ChargeAsync(account, key: null);
        }

        return new ChatOutcome
        {
            Response = account.Error is null ? response : null,
            Error = account.Error,
            Provider = logged.Provider,
            Model = logged.Model,
            Route = logged.Route,
            Rule = logged.Rule,
            Usage = account.Tokens,
            UsageEstimated = account.Estimated,
            CostUsd = account.Tokens is null ? null : logged.CostUsd,
            LatencyMs = logged.LatencyMs,
            Attempts = (account.Log ?? account.Error?.AttemptLog)?.ToString() ?? "",
        };
    }
}
