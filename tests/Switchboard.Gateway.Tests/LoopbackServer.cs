using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// A small Kestrel server on 127.0.0.1 for what the provider fakes do not do: receiving webhooks (bodies and headers
/// recorded), or an OpenAI upstream that holds every request a while and counts how many it holds at once.
/// </summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private const string Completion = """
        {"id": "chatcmpl-held", "object": "chat.completion", "created": 1741569952, "model": "gpt-4o-mini",
         "choices": [{"index": 0, "message": {"role": "assistant", "content": "held"}, "finish_reason": "stop"}],
         "usage": {"prompt_tokens": 5, "completion_tokens": 1, "total_tokens": 6}}
        """;

    private readonly WebApplication _app;
    private int _inFlight;
    private int _maxInFlight;

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>The origin, e.g. <c>http://127.0.0.1:49152/</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request received: its headers (lower-case names) and body.</summary>
    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, byte[] Body)> Received { get; } = new();

    /// <summary>The most requests held at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Answers 200 with no body to every request, recording it.</summary>
    public static Task<LoopbackServer> WebhookReceiverAsync() => StartAsync(hold: null);

    /// <summary>An OpenAI chat upstream that holds each request for <paramref name="hold"/>, then answers with a completion.</summary>
    public static Task<LoopbackServer> SlowOpenAIAsync(TimeSpan hold) => StartAsync(hold);

    private static async Task<LoopbackServer> StartAsync(TimeSpan? hold)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LoopbackServer(app);
        app.Run(server.HandleAsync(hold));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    private RequestDelegate HandleAsync(TimeSpan? hold) => async context =>
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Received.Enqueue((context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body.ToArray()));
        if (hold is not { } delay)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while ((max = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
            // Another request raised it first: look again.
        }
        try
        {
            await Task.Delay(delay, context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Completion, context.RequestAborted);
    };

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Connections left are dropped.
        }
        await _app.DisposeAsync();
    }
}
