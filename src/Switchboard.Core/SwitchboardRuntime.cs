using System.Buffers;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Execution;
using Switchboard.Providers;
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
    public SwitchboardRuntime(SwitchboardOptions options, TimeProvider? time = null, Func<string, string?>? environment = null, Func<HttpMessageHandler>? handlerFactory = null)
    {
        Options = options;
        Time = time ?? TimeProvider.System;
        Catalog = ModelCatalog.Create(options.Models);
        Providers = new ProviderRegistry(options, Time, environment ?? Environment.GetEnvironmentVariable, handlerFactory);
        Resolver = new ModelResolver(Providers, Catalog, options.Aliases);
        Executor = new ChatExecutor(Time, options.Resilience);
    }

    public SwitchboardOptions Options { get; }

    public TimeProvider Time { get; }

    public ModelCatalog Catalog { get; }

    public ProviderRegistry Providers { get; }

    public ModelResolver Resolver { get; }

    public ChatExecutor Executor { get; }

    /// <summary>
    /// Everything before the call: check the body, find the provider and model, check its key, fit the
    /// parameters, and write the body the provider will get into <paramref name="output"/>: the client's own
    /// bytes with the model changed when the provider speaks the client's dialect, a translation otherwise.
    /// </summary>
    internal PreparedChat Prepare(IClientDialect client, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var envelope = client.Scan(body);
        var target = Resolver.Resolve(envelope.Model);
        target.Provider.EnsureCallable(envelope.Model);
        var adapter = target.Provider.Adapter!;
        if (adapter.Dialect == client.Dialect)
        {
            var edits = ParameterPolicy.Plan(envelope, body, target, Options.DropUnsupported, out var dropped);
            ChatRequestRewriter.Write(body, envelope, edits, output);
            return new PreparedChat(envelope, target, dropped, Translated: false);
        }
        return new PreparedChat(envelope, target, Translate(client, body, envelope, target, output), Translated: true);
    }

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
