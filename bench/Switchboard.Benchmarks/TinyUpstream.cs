using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Benchmarks;

/// <summary>
/// The smallest OpenAI stand-in that answers like OpenAI: real Kestrel on 127.0.0.1, a fixed
/// <c>chat.completion</c> for a whole request and a fixed 20-chunk stream when the body asks for one.
/// It does as little as it can, so what a benchmark sees beyond it is the gateway. Under <c>/down/</c> it answers
/// 503 as OpenAI does when overloaded, for fallback paths.
/// </summary>
internal sealed class TinyUpstream : IAsyncDisposable
{
    private static readonly byte[] StreamFlag = "\"stream\":true"u8.ToArray();

    private readonly WebApplication _app;
    private static readonly byte[] Overloaded = """{"error":{"message":"That model is currently overloaded with other requests.","type":"server_error","param":null,"code":null}}"""u8.ToArray();

    private readonly byte[] _completion = Payloads.ChatCompletion();
    private readonly byte[][] _events = [.. Payloads.ChatCompletionStreamEvents()];

    private TinyUpstream(WebApplication app) => _app = app;

    /// <summary>Where it listens, such as <c>http://127.0.0.1:40123</c>, without a trailing slash.</summary>
    public string Origin { get; private set; } = "";

    public static async Task<TinyUpstream> StartAsync()
    {
        // The empty builder reads no appsettings or environment, so nothing on the machine can move it.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        var upstream = new TinyUpstream(app);
        app.Run(upstream.HandleAsync);
        await app.StartAsync();
        upstream.Origin = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');
        return upstream;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var stream = await AsksForStreamAsync(context.Request);
        var response = context.Response;
        response.Headers["x-request-id"] = "req_bench_0001";
        if (context.Request.Path.StartsWithSegments("/down"))
        {
            response.StatusCode = 503;
            response.ContentType = "application/json";
            response.ContentLength = Overloaded.Length;
            await response.Body.WriteAsync(Overloaded, context.RequestAborted);
            return;
        }
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = _completion.Length;
            await response.Body.WriteAsync(_completion, context.RequestAborted);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        // One write and flush per event, as a provider sends tokens as they are made.
        foreach (var e in _events)
        {
            await response.Body.WriteAsync(e, context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>Reads the whole body (as a real server does) and says whether it has <c>"stream":true</c>.</summary>
    private static async Task<bool> AsksForStreamAsync(HttpRequest request)
    {
        while (true)
        {
            var result = await request.BodyReader.ReadAsync();
            if (result.IsCompleted)
            {
                var found = Contains(result.Buffer);
                request.BodyReader.AdvanceTo(result.Buffer.End);
                return found;
            }
            request.BodyReader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static bool Contains(System.Buffers.ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment) return body.FirstSpan.IndexOf(StreamFlag) >= 0;
        return System.Buffers.BuffersExtensions.ToArray(body).AsSpan().IndexOf(StreamFlag) >= 0;
    }
}
