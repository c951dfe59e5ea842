using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.Configuration;
using Switchboard.Storage;
using Switchboard.Chat;
using Switchboard.Execution;
using Switchboard.Gateway.Compare;
using Switchboard.Gateway.Dashboard;
using Switchboard.Gateway.Execution;
using Switchboard.Gateway.Jobs;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Gateway;

/// <summary>Builds the gateway: Kestrel, the endpoints of each dialect, health checks and the master-key check.</summary>
public static class SwitchboardGateway
{
    /// <summary>
    /// Builds the app from the options. Refuses (with a <see cref="ConfigException"/>) to listen beyond
    /// loopback without a master key.
    /// </summary>
    public static WebApplication Build(SwitchboardOptions options, GatewayHostOptions? host = null)
    {
        host ??= new GatewayHostOptions();
        var environment = host.Environment ?? System.Environment.GetEnvironmentVariable;
        var server = options.Server with { Host = host.Host ?? options.Server.Host, Port = host.Port ?? options.Server.Port };
        var masterKey = server.MasterKey?.Resolve(environment);
        if (masterKey is null && !IsLoopback(server.Host))
        {
            throw new ConfigException(
                $"server.host is {server.Host}, which other machines can reach, but no master key is set. " +
                "Set server.master_key: env:SWITCHBOARD_MASTER_KEY and export SWITCHBOARD_MASTER_KEY, or listen on 127.0.0.1.");
        }

        var runtime = new SwitchboardRuntime(options with { Server = server }, host.Time, environment, host.HandlerFactory);
        var store = OpenStore(host.Storage ?? environment("SWITCHBOARD_DATABASE_URL") ?? options.Storage.Resolve(environment), runtime.Time);
        // The empty builder: no appsettings files or their watcher, no configuration from the environment; the
        // gateway's configuration is its own YAML. Kestrel, routing and logging are added by hand.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging();
        if (host.ConsoleLogging)
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            // A gateway that cannot start (a port taken, say) is reported by its caller in one sentence; the host's
            // own log of it is the exception with its stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        }
        builder.WebHost.UseUrls(Url(server.Host, server.Port));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = server.MaxRequestBodyBytes;
        });
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<ModelsEndpoint>();

        if (store is not null) builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(services => new UsageRecorder(store is null ? null
            : new UsageWriter(store, runtime.Time, logger: services.GetRequiredService<ILoggerFactory>().CreateLogger<UsageWriter>())));
        var limits = new RequestLimits(store, options.Budgets, runtime.Time);
        builder.Services.AddSingleton(services => new GatewayChat(runtime, services.GetRequiredService<UsageRecorder>(), limits));
        var submissions = new JobSubmissions(runtime);
        if (store is not null)
        {
            var webhookSecret = runtime.Options.Jobs.WebhookSecret?.Resolve(environment);
            builder.Services.AddSingleton(services => new JobWorkers(store, services.GetRequiredService<GatewayChat>(), runtime.Options.Jobs,
                services.GetRequiredService<ILoggerFactory>().CreateLogger<JobWorkers>(), webhookSecret));
            // Stopped before the usage writer and the store (ApplicationStopped): the jobs under way still record their usage.
            builder.Services.AddHostedService(services => services.GetRequiredService<JobWorkers>());
        }

        var app = builder.Build();
        var usage = app.Services.GetRequiredService<UsageRecorder>();
        var writer = usage.Writer;
        // Stopped, not stopping: Kestrel has finished the requests in flight, so their records are queued by now.
        // OpenTelemetry's assemblies are loaded only when traces are exported.
        IDisposable? tracer = options.Telemetry.OtlpEndpoint is null ? null : OtlpTracing.Start(options.Telemetry);
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            // Disposing the tracer exports the spans still buffered.
            tracer?.Dispose();
            if (writer is not null) writer.StopAsync().GetAwaiter().GetResult();
            store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            runtime.Dispose();
        });
        if (runtime.Options.Resilience.ProbeInterval is { } interval)
            app.Lifetime.ApplicationStarted.Register(() => _ = ProbeAsync(runtime, interval, app.Lifetime.ApplicationStopping));
        app.Use(LastResort);
        var keys = store is null ? null : new KeyCache(store, runtime.Time);
        app.Use(new KeyCheck(KeyCheck.Hash(masterKey), keys, runtime.Time).InvokeAsync);

        var chat = new ChatEndpoint(runtime, OpenAIClientDialect.Instance, usage, limits);
        var messages = new ChatEndpoint(runtime, AnthropicClientDialect.Instance, usage, limits);
        var models = app.Services.GetRequiredService<ModelsEndpoint>();
        var gatewayChat = app.Services.GetRequiredService<GatewayChat>();
        var workers = store is null ? null : app.Services.GetRequiredService<JobWorkers>();
        var jobs = new JobApi(store, workers, submissions, server.MaxRequestBodyBytes, runtime.Time);
        app.MapPost("/v1/chat/completions", chat.HandleAsync);
        app.MapPost("/chat/completions", chat.HandleAsync);
        app.MapPost("/v1/messages", messages.HandleAsync);
        app.MapPost("/v1/messages/count_tokens", context => CountTokensAsync(context, runtime));
        app.MapGet("/v1/models", models.HandleAsync);
        app.MapGet("/models", models.HandleAsync);
        HealthEndpoints.Map(app, runtime);
        RoutingEndpoints.Map(app, runtime);
        KeyEndpoints.Map(app, store, keys, runtime.Time);
        MetricsEndpoint.Map(app, runtime, usage);
        UsageEndpoint.Map(app);
        CompareEndpoint.Map(app, new Comparison(gatewayChat), server.MaxRequestBodyBytes);
        JobEndpoints.Map(app, jobs);
        BatchEndpoints.Map(app, jobs);
        SessionEndpoint.Map(app, masterKeyRequired: masterKey is not null, storage: store is not null);
        CatalogEndpoint.Map(app, runtime);
        CostEndpoint.Map(app, runtime);
        RoutesEndpoint.Map(app, runtime);
        DashboardEndpoint.Map(app);
        app.MapFallback(NotFound);
        return app;
    }

    /// <summary>Probes every deployment called so far, each interval, until the gateway stops (<c>resilience.probe_interval</c>).</summary>
    private static async Task ProbeAsync(SwitchboardRuntime runtime, TimeSpan interval, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, runtime.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping)) await runtime.ProbeAsync(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The gateway is stopping.
        }
    }

    /// <summary>The store at <paramref name="connection"/> (migrated), or null for <c>none</c>; a store that cannot be opened is a config error.</summary>
    private static ISwitchboardStore? OpenStore(string? connection, TimeProvider time)
    {
        connection ??= SwitchboardOptions.DefaultStorage;
        if (string.Equals(connection.Trim(), SwitchboardOptions.NoStorage, StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            return SwitchboardStore.OpenAsync(connection, time).GetAwaiter().GetResult();
        }
        catch (StoreException e)
        {
            throw new ConfigException($"storage: {e.Message}");
        }
    }

    /// <summary>Whether <paramref name="host"/> is reachable only from this machine.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);

    private static string Url(string host, int port) =>
        $"http://{(IPAddress.TryParse(host, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host)}:{port}";

    /// <summary>Whatever goes wrong, the client gets a JSON error, never a stack trace.</summary>
    private static async Task LastResort(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Switchboard.Gateway")
                .LogError("Unexpected failure on {Method} {Path}: {Type}", context.Request.Method, context.Request.Path, e.GetType().Name);
            if (context.Response.HasStarted) return;
            context.Response.Clear();
            var error = e is BadHttpRequestException bad
                ? new SwitchboardException(ErrorCategory.BadRequest, bad.StatusCode, "The request could not be read: " + bad.Message)
                : new SwitchboardException(ErrorCategory.Unavailable, 500, "Switchboard failed unexpectedly on this request; the failure is logged.", code: "internal_error");
            await ErrorResponses.WriteAsync(context, DialectOf(context), error, RequestTiming.Start());
        }
    }

    /// <summary>The dialect a request's path speaks, so even errors outside the endpoints come in the shape its client reads.</summary>
    internal static IClientDialect DialectOf(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1/messages") ? AnthropicClientDialect.Instance : OpenAIClientDialect.Instance;

    /// <summary><c>POST /v1/messages/count_tokens</c>: an estimate, since no provider is called to count.</summary>
    private static async Task CountTokensAsync(HttpContext context, SwitchboardRuntime runtime)
    {
        try
        {
            using var body = await RequestBody.ReadAsync(context, runtime.Options.Server.MaxRequestBodyBytes);
            using var answer = new PooledBufferWriter(64);
            AnthropicClientDialect.CountTokens(body.WrittenSpan, answer);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(answer.WrittenMemory, context.RequestAborted);
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, AnthropicClientDialect.Instance, error, RequestTiming.Start());
        }
    }

    private static Task NotFound(HttpContext context) =>
        ErrorResponses.WriteAsync(context, DialectOf(context), new SwitchboardException(ErrorCategory.NotFound, 404,
            $"No such endpoint: {context.Request.Method} {context.Request.Path}. Switchboard serves POST /v1/chat/completions, POST /v1/messages, POST /v1/messages/count_tokens, GET /v1/models, POST /v1/route/explain, GET /health/live, GET /health/ready, GET /health/providers, GET /metrics, GET /api/usage, POST /api/compare, /api/keys, /api/jobs, /api/batches, GET /api/session, GET /api/catalog, GET /api/cost, GET /api/routes, and the dashboard at GET /.",
            code: "unknown_url"), RequestTiming.Start());
}
