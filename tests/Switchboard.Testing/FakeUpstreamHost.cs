using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Testing;

/// <summary>
/// The provider-independent half of every fake upstream: a real Kestrel server on a loopback port that
/// records each request, applies queued <see cref="UpstreamFault"/>s and <see cref="StreamGate"/>s, and
/// writes what an <see cref="IUpstreamDialect"/> answers.
/// </summary>
internal sealed class FakeUpstreamHost : IAsyncDisposable
{
    // Long enough for in-flight writes to finish, short enough that a stuck test fails fast rather than hangs.
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly WebApplication _app;
    private readonly IUpstreamDialect _dialect;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _sync = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<UpstreamFault> _faults = new();
    private readonly Queue<StreamGate> _gates = new();
    private readonly List<StreamGate> _issuedGates = [];

    // Cancelled on dispose so held or delayed requests end instead of keeping Kestrel's shutdown waiting.
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private FakeUpstreamHost(WebApplication app, IUpstreamDialect dialect, TimeProvider timeProvider)
    {
        _app = app;
        _dialect = dialect;
        _timeProvider = timeProvider;
    }

    /// <summary>Scheme, host and the real port, e.g. <c>http://127.0.0.1:49152/</c>.</summary>
    public Uri Origin { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_sync)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeUpstreamHost> StartAsync(IUpstreamDialect dialect, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        // The empty builder reads no appsettings, environment or command line, so nothing on the test machine
        // (ASPNETCORE_URLS, a stray appsettings.json) can move the fake off its loopback port.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.AddServerHeader = false;
            // Context-window tests send huge prompts; a fake must never be the one to reject them.
            options.Limits.MaxRequestBodySize = null;
        });
        // By default a flush completes once the bytes are in the transport's 64 KiB send pipe, and an abort
        // discards whatever the send loop has not taken yet, so a cut stream could lose the chunks it was
        // meant to deliver. With a two-byte pipe a flush completes only after the socket has the bytes:
        // what a test was told is sent (a cut stream's chunks, a held stream's first chunk) is on the wire.
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = 2);

        var app = builder.Build();
        var host = new FakeUpstreamHost(app, dialect, timeProvider);
        app.Run(host.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
            host.Origin = new Uri(address.EndsWith('/') ? address : address + "/", UriKind.Absolute);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public void Enqueue(UpstreamFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_sync)
        {
            _faults.Enqueue(fault);
        }
    }

    public StreamGate HoldStream()
    {
        var gate = new StreamGate();
        lock (_sync)
        {
            _gates.Enqueue(gate);
            _issuedGates.Add(gate);
        }

        return gate;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        lock (_sync)
        {
            foreach (var gate in _issuedGates)
            {
                gate.Release();
            }
        }

        using (var timeout = new CancellationTokenSource(ShutdownTimeout))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Kestrel has already dropped the remaining connections; nothing is left to wait for.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        var cancellationToken = linked.Token;
        try
        {
            var request = await ReadAsync(context.Request, cancellationToken).ConfigureAwait(false);
            UpstreamFault? fault;
            lock (_sync)
            {
                // Recording and dequeuing under one lock keeps "the Nth request gets the Nth fault" true under concurrency.
                _requests.Add(request);
                _faults.TryDequeue(out fault);
            }

            await RespondAsync(context, request, fault, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    private async Task RespondAsync(HttpContext context, RecordedRequest request, UpstreamFault? fault, CancellationToken cancellationToken)
    {
        switch (fault?.Kind)
        {
            case UpstreamFaultKind.Delay:
                await Task.Delay(fault.DelayBy, _timeProvider, cancellationToken).ConfigureAwait(false);
                break;
            case UpstreamFaultKind.Status or UpstreamFaultKind.ContextLengthExceeded:
                if (fault.RetryAfter is { } retryAfter)
                {
                    context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                var body = fault.Body is null ? _dialect.ErrorBody(fault, request) : Encoding.UTF8.GetBytes(fault.Body);
                var errorResponse = new UpstreamResponse.Buffered(fault.StatusCode, "application/json", body, _dialect.ErrorHeaders(fault, request));
                await WriteBufferedAsync(context, errorResponse, cancellationToken).ConfigureAwait(false);
                return;
        }

        var response = _dialect.Respond(request);
        if (fault?.Kind == UpstreamFaultKind.InvalidJson)
        {
            response = response switch
            {
                UpstreamResponse.Streamed streamed => streamed with { Chunks = [_dialect.InvalidStreamChunk] },
                _ => new UpstreamResponse.Buffered(StatusCodes.Status200OK, "application/json", _dialect.InvalidJsonBody),
            };
        }

        int? cutAfter = fault?.Kind == UpstreamFaultKind.CutStream ? fault.ChunksBeforeCut : null;
        switch (response)
        {
            case UpstreamResponse.Streamed streamed:
                await WriteStreamAsync(context, streamed, cutAfter, cancellationToken).ConfigureAwait(false);
                break;
            case UpstreamResponse.Buffered when cutAfter is not null:
                context.Abort();
                break;
            case UpstreamResponse.Buffered buffered:
                await WriteBufferedAsync(context, buffered, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static async Task<RecordedRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            headers[name.ToLowerInvariant()] = values.ToString();
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        return new RecordedRequest(request.Method, request.PathBase + request.Path, request.QueryString.Value ?? "", headers, body.ToArray());
    }

    private static async Task WriteBufferedAsync(HttpContext context, UpstreamResponse.Buffered response, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = response.StatusCode;
        context.Response.ContentType = response.ContentType;
        context.Response.ContentLength = response.Body.Length;
        foreach (var (name, value) in response.Headers ?? [])
        {
            context.Response.Headers.Append(name, value);
        }

        await context.Response.Body.WriteAsync(response.Body, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteStreamAsync(HttpContext context, UpstreamResponse.Streamed response, int? cutAfter, CancellationToken cancellationToken)
    {
        StreamGate? gate;
        lock (_sync)
        {
            _gates.TryDequeue(out gate);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = response.ContentType;
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);

        var writer = context.Response.BodyWriter;
        var count = Math.Min(cutAfter ?? int.MaxValue, response.Chunks.Count);
        for (var i = 0; i < count; i++)
        {
            // PipeWriter.WriteAsync flushes, so every chunk leaves Kestrel on its own.
            await writer.WriteAsync(response.Chunks[i], cancellationToken).ConfigureAwait(false);
            if (i == 0 && gate is not null)
            {
                gate.MarkFirstChunkSent();
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (cutAfter is not null)
        {
            context.Abort();
            return;
        }

        await writer.WriteAsync(response.Trailer, cancellationToken).ConfigureAwait(false);
    }
}
