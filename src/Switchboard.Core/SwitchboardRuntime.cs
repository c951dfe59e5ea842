using System.Buffers;
using Switchboard.Catalog;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Execution;
using Switchboard.Providers;

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
    /// parameters, and write the body the provider will get into <paramref name="output"/>.
    /// </summary>
    internal PreparedChat Prepare(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var envelope = ChatRequestScanner.Scan(body);
        var target = Resolver.Resolve(envelope.Model);
        target.Provider.EnsureCallable(envelope.Model);
        var edits = ParameterPolicy.Plan(envelope, body, target, Options.DropUnsupported, out var dropped);
        ChatRequestRewriter.Write(body, envelope, edits, output);
        return new PreparedChat(envelope, target, dropped);
    }

    public void Dispose() => Providers.Dispose();
}
