using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// An upstream that answers every request with exactly the bytes given, in one write, then ends the response
/// normally: for wire shapes the fake does not make (a bad event followed by <c>[DONE]</c> in one read, a stream
/// that ends cleanly without <c>[DONE]</c>).
/// </summary>
internal sealed class RawUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RawUpstream(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The base URL to configure, e.g. <c>http://127.0.0.1:49152/v1</c>.</summary>
    public Uri BaseUrl { get; }

    public static async Task<RawUpstream> StartAsync(string contentType, string body)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        app.Run(async context =>
        {
            // Read the request first so the connection ends cleanly.
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RawUpstream(app, new Uri(address.TrimEnd('/') + "/v1"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
