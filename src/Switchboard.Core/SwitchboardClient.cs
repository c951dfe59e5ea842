using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Execution;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard;

/// <summary>
/// Switchboard in-process: the same preparation, provider detection, key checks and calls as the gateway,
/// with typed requests and answers.
/// </summary>
public sealed class SwitchboardClient(SwitchboardRuntime runtime)
{
    /// <summary>Asks for a whole completion.</summary>
    public async Task<ChatCompletion> CompleteAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        using var result = await SendAsync(request with { Stream = null, StreamOptions = null }, stream: false, cancellationToken);
        ChatResponse response;
        try
        {
            using var body = new PooledBufferWriter(4096);
            await body.ReadFromAsync(result.Response.Body, long.MaxValue, result.Token);
            response = result.Target.Provider.Adapter!.ReadResponse(body.WrittenSpan);
        }
        catch (JsonException)
        {
            throw UpstreamErrors.Malformed(result.Target, result.Attempts, "the body is not valid JSON");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw ChatExecutor.TimedOut(result.Target, result.Attempts, runtime.Executor.TimeoutFor(stream: false), stream: false);
        }
        var usage = response.Usage is { } u ? ChatUsageMapping.ToTokenUsage(u) : (TokenUsage?)null;
        var cost = usage is { } tokens ? CostCalculator.Cost(tokens, result.Target.CatalogModel) : null;
        return new ChatCompletion(response, result.Target, result.Attempts, usage, cost);
    }

    /// <summary>Starts a streamed completion, asking the provider for usage at the end; dispose the stream when done.</summary>
    public async Task<ChatStream> StreamAsync(ChatRequest request, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(request with { Stream = true, StreamOptions = new StreamOptions { IncludeUsage = true } }, stream: true, cancellationToken);
        result.ClearDeadline();
        return new ChatStream(result, runtime.Time.GetUtcNow().ToUnixTimeSeconds());
    }

    private async Task<UpstreamResult> SendAsync(ChatRequest request, bool stream, CancellationToken cancellationToken)
    {
        var dialect = OpenAIClientDialect.Instance;
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ChatJsonContext.Default.ChatRequest);
        var envelope = dialect.Scan(body);
        var fields = runtime.Router.NeedsContext(envelope.Model) || envelope.IndexOf(body, "metadata"u8) >= 0 ? RoutingMetadata.FromBody(body, envelope) : null;
        var decision = runtime.Route(envelope, body, fields);
        using var upstreamBody = new PooledBufferWriter(body.Length + 128);
        var call = await runtime.CallAsync(dialect, body, envelope, decision, upstreamBody, null, cancellationToken);
        return call.Result;
    }
}
