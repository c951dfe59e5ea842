using System.Buffers;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Execution;
using Switchboard.Providers;
using Switchboard.Resilience;
using Switchboard.Routing;
using System.Text.Json;

namespace Switchboard;

/// <summary>
/// Switchboard's parts put together from the options: catalog, providers, resolver and executor. The
/// gateway and the in-process client both prepare requests through it, so they behave the same.
/// </summary>
public sealed class SwitchboardRuntime : IDisposable
{
    /// <param name="environment">Reads environment variables; defaults to the process environment.</param>
    /// <param name="handlerFactory">Makes each provider's HTTP handler; defaults to one <see cref="SocketsHttpHandler"/> per provider.</param>
    /// <param name="random">Draws for weighted and least-busy routes and splits without an id; defaults to <see cref="Random.Shared"/>.</param>
    public SwitchboardRuntime(SwitchboardOptions options, TimeProvider? time = null, Func<string, string?>? environment = null, Func<HttpMessageHandler>? handlerFactory = null,
        Random? random = null)
    {
        Options = options;
        Time = time ?? TimeProvider.System;
        Catalog = ModelCatalog.Create(options.Models);
        Providers = new ProviderRegistry(options, Time, environment ?? Environment.GetEnvironmentVariable, handlerFactory);
        Resolver = new ModelResolver(Providers, Catalog, options.Aliases);
        Deployments = new DeploymentRegistry(options.Resilience, Time);
        Router = new Router(options, Resolver, Deployments, random);
        Executor = new ChatExecutor(Time, options.Resilience, Deployments);
    }

    private static readonly byte[] IncludeUsage = """{"include_usage":true}"""u8.ToArray();

    public SwitchboardOptions Options { get; }

    public TimeProvider Time { get; }

    public ModelCatalog Catalog { get; }

    public ProviderRegistry Providers { get; }

    public ModelResolver Resolver { get; }

    public ChatExecutor Executor { get; }

    public DeploymentRegistry Deployments { get; }

    public Router Router { get; }

    /// <summary>The router's decision for a scanned request; with no routing <paramref name="fields"/>, the one for its model alone.</summary>
    internal RoutingDecision Route(ChatRequestEnvelope envelope, ReadOnlyMemory<byte> body, RoutingMetadata? fields) =>
        fields is null ? Router.Route(envelope.Model) : Router.Route(envelope.Model, RoutingContextFactory.Create(envelope, fields, body, Time, Deployments));

    /// <summary>
    /// The decision a chat request (OpenAI's shape) would get, calling no one, with the prompt's size and complexity
    /// always shown. <paramref name="overrides"/> sets routing fields over the body's <c>metadata</c>, as headers do.
    /// </summary>
    public RoutingDecision Explain(ReadOnlyMemory<byte> body, Action<RoutingMetadata>? overrides = null)
    {
        var envelope = Switchboard.Providers.OpenAI.OpenAIClientDialect.Instance.Scan(body.Span);
        var fields = RoutingMetadata.FromBody(body.Span, envelope);
        overrides?.Invoke(fields);
        var context = RoutingContextFactory.Create(envelope, fields, body, Time, Deployments);
        return Router.Route(envelope.Model, context) with
        {
            Complexity = context.Complexity,
            ComplexityReasons = context.ComplexityReasons,
            EstimatedTokens = context.Tokens,
        };
    }

    /// <summary>
    /// Everything before the call for one model asked for directly: check the body, find the provider and model,
    /// check its key, and write the body it will get (see <see cref="PrepareFor"/>).
    /// </summary>
    internal PreparedChat Prepare(IClientDialect client, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var envelope = client.Scan(body);
        return PrepareFor(client, body, envelope, Resolver.Resolve(envelope.Model), output);
    }

    /// <summary>
    /// Checks the target's key, fits the parameters to the model, and writes the body the provider will get into
    /// <paramref name="output"/>: the client's own bytes with the model changed when the provider speaks the
    /// client's dialect, a translation otherwise.
    /// </summary>
    internal PreparedChat PrepareFor(IClientDialect client, ReadOnlySpan<byte> body, ChatRequestEnvelope envelope, ModelResolution target, IBufferWriter<byte> output)
    {
        target.Provider.EnsureCallable(envelope.Model);
        var adapter = target.Provider.Adapter!;
        if (adapter.Dialect == client.Dialect)
        {
            var edits = ParameterPolicy.Plan(envelope, body, target, Options.DropUnsupported, out var dropped);
            if (envelope.StrippedMetadata is { } metadata)
            {
                edits = edits.Copy();
                if (metadata.Length == 0) edits.Removed.Add("metadata");
                else edits.Replaced.Add(("metadata", metadata));
            }
            if (envelope.Stream && envelope.IncludeUsage != true && client.Dialect == WireDialect.OpenAI)
            {
                // The usage of a stream comes only when asked for; the relay keeps that chunk from a client that did not ask.
                edits = edits == target.ModelOnlyEdits ? edits.Copy() : edits;
                if (envelope.IndexOf(body, "stream_options"u8) >= 0) edits.Replaced.Add(("stream_options", IncludeUsage));
                else edits.Added.Add(("stream_options", IncludeUsage));
            }
            ChatRequestRewriter.Write(body, envelope, edits, output);
            return new PreparedChat(envelope, target, dropped, Translated: false);
        }
        return new PreparedChat(envelope, target, Translate(client, body, envelope, target, output), Translated: true);
    }

    /// <summary>
    /// Tries the decision's candidates in order until one answers: each through its deployment's pipeline, with the
    /// body written for it. Falls back on failures another deployment may not have (rate limits, timeouts, outages,
    /// open circuits, refused keys, missing models, content policy, and a context window too small, skipping then to
    /// a bigger window), never on a bad request, which would fail anywhere. The whole is bounded by
    /// <see cref="ResilienceOptions.TotalTimeout"/>. The last failure is thrown, with every attempt logged on it.
    /// </summary>
    internal async Task<RoutedCall> CallAsync(IClientDialect client, ReadOnlyMemory<byte> body, ChatRequestEnvelope envelope, RoutingDecision decision,
        PooledBufferWriter output, IReadOnlyList<KeyValuePair<string, string>>? clientHeaders, CancellationToken cancellationToken)
    {
        var log = new AttemptLog();
        using var total = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        total.CancelAfter(Options.Resilience.TotalTimeout);
        try
        {
            return await TryCandidatesAsync(client, body, envelope, decision, output, clientHeaders, log, total.Token);
        }
        catch (OperationCanceledException) when (total.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw GaveUp(decision, log);
        }
        catch (SwitchboardException e)
        {
            e.AttemptLog = log;
            throw;
        }
    }

    private async Task<RoutedCall> TryCandidatesAsync(IClientDialect client, ReadOnlyMemory<byte> body, ChatRequestEnvelope envelope, RoutingDecision decision,
        PooledBufferWriter output, IReadOnlyList<KeyValuePair<string, string>>? clientHeaders, AttemptLog log, CancellationToken deadline)
    {
        SwitchboardException? last = null;
        int? tooSmall = null;
        var candidates = decision.Candidates;
        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var target = candidate.Target;
            var more = i < candidates.Count - 1;
            if (tooSmall is { } window && target.CatalogModel?.ContextWindow is { } size && size <= window) continue;
            PreparedChat prepared;
            output.Reset();
            try
            {
                prepared = PrepareFor(client, body.Span, envelope, target, output);
            }
            catch (SwitchboardException e) when (more)
            {
                // This model refuses a parameter another may take.
                last = e;
                continue;
            }
            try
            {
                var result = await Executor.AttemptAsync(target, output.WrittenMemory, envelope.Stream, Executor.TimeoutFor(envelope.Stream, candidate.Timeout), log,
                    prepared.Translated ? null : clientHeaders, deadline);
                return new RoutedCall(prepared, result, decision);
            }
            catch (SwitchboardException e) when (e.Category != ErrorCategory.BadRequest && more)
            {
                last = e;
                if (e.Category == ErrorCategory.ContextWindowExceeded) tooSmall = target.CatalogModel?.ContextWindow ?? tooSmall;
            }
            deadline.ThrowIfCancellationRequested();
        }
        // Only reached when the candidates left after a context window error were all too small for the prompt.
        throw last!;
    }

    /// <summary>
    /// Sends every deployment called so far a one-token request through its pipeline, so a provider that recovered
    /// closes its circuit and shows healthy again without waiting for a user's request to find out. Failures are
    /// recorded in the provider's health, never thrown.
    /// </summary>
    /// <returns>How many probes answered well.</returns>
    public async Task<int> ProbeAsync(CancellationToken cancellationToken)
    {
        var dialect = Switchboard.Providers.OpenAI.OpenAIClientDialect.Instance;
        var answered = 0;
        foreach (var deployment in Deployments.Deployments.ToList())
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(new ChatRequest { Model = deployment.Name, Messages = [ChatMessage.User("ping")], MaxTokens = 1 }, ChatJsonContext.Default.ChatRequest);
            using var output = new PooledBufferWriter(body.Length + 128);
            try
            {
                var target = Resolver.Resolve(deployment.Name);
                var envelope = dialect.Scan(body);
                _ = PrepareFor(dialect, body, envelope, target, output);
                using var result = await Executor.AttemptAsync(target, output.WrittenMemory, stream: false, Executor.TimeoutFor(stream: false, target.CatalogModel?.Timeout), new AttemptLog(),
                    clientHeaders: null, cancellationToken);
                answered++;
            }
            catch (SwitchboardException)
            {
                // Counted in the provider's health by the attempt itself.
            }
        }
        return answered;
    }

    private SwitchboardException GaveUp(RoutingDecision decision, AttemptLog log) =>
        new(ErrorCategory.Timeout, 504,
            $"No deployment of {decision.Route ?? decision.Requested} answered within {Options.Resilience.TotalTimeout.TotalSeconds:0.###}s over {log.Count} attempts ({log}). " +
            "Raise resilience.total_timeout in switchboard.yaml if that is too short.", code: "total_timeout")
        {
            Attempts = log.Count,
        };

    /// <summary>
    /// Translates through OpenAI's shape, the canonical one, so a single parameter policy serves every path:
    /// the client's request as OpenAI bytes, fitted to the model, read as a canonical request, written by the adapter.
    /// </summary>
    private string? Translate(IClientDialect client, ReadOnlySpan<byte> body, ChatRequestEnvelope envelope, ModelResolution target, IBufferWriter<byte> output)
    {
        using var canonical = new PooledBufferWriter(client.Dialect == WireDialect.OpenAI ? 0 : body.Length * 2);
        var openAi = body;
        var openAiEnvelope = envelope;
        if (client.Dialect != WireDialect.OpenAI)
        {
            using (var json = new Utf8JsonWriter(canonical)) JsonSerializer.Serialize(json, client.ReadRequest(body), ChatJsonContext.Default.ChatRequest);
            openAi = canonical.WrittenSpan;
            openAiEnvelope = ChatRequestScanner.Scan(openAi);
        }
        var edits = ParameterPolicy.Plan(openAiEnvelope, openAi, target, Options.DropUnsupported, out var dropped);
        using var fitted = new PooledBufferWriter(openAi.Length + 128);
        ChatRequestRewriter.Write(openAi, openAiEnvelope, edits, fitted);
        var request = JsonSerializer.Deserialize(fitted.WrittenSpan, ChatJsonContext.Default.ChatRequest)!;
        target.Provider.Adapter!.WriteRequest(request, target.Model, envelope.Stream, output);
        return dropped;
    }

    public void Dispose() => Providers.Dispose();
}
