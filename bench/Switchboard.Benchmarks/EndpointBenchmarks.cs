using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchboard.Configuration;
using Switchboard.Gateway;

namespace Switchboard.Benchmarks;

/// <summary>
/// The gateway's own work on one request, without sockets: the delegate the gateway maps to
/// <c>POST /v1/chat/completions</c> (taken from the app <see cref="SwitchboardGateway.Build"/> makes, which is
/// not started) run on an in-memory <see cref="DefaultHttpContext"/>, with the provider's HTTP handler replaced
/// (<see cref="GatewayHostOptions.HandlerFactory"/>) by one that answers at once from memory.
/// <see cref="GatewayBenchmarks"/> also counts Kestrel, two HttpClients and the client parsing the gateway's
/// headers, all in one process; this isolates what Switchboard's code decides. Subtract
/// <see cref="ContextOnly"/> (the in-memory context and request) and the stub's answer (about 0.75 KB: a
/// <c>HttpResponseMessage</c> with its content and headers) to get the endpoint, executor and adapter alone.
/// </summary>
[MemoryDiagnoser]
public class EndpointBenchmarks : IDisposable
{
    private readonly byte[] _body = Payloads.ChatRequest();
    private readonly byte[] _streamBody = Payloads.ChatRequest(stream: true);
    private WebApplication _app = null!;
    private RequestDelegate _chat = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var environment = Payloads.Environment("http://127.0.0.1:9/v1");
        _app = SwitchboardGateway.Build(ConfigLoader.Parse("", "bench.yaml", environment),
            new GatewayHostOptions { Port = 0, ConsoleLogging = false, Environment = environment, HandlerFactory = () => new AnsweringHandler() });
        _chat = ((IEndpointRouteBuilder)_app).DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .First(endpoint => endpoint.RoutePattern.RawText == "/v1/chat/completions").RequestDelegate!;

        var whole = await RunAsync(_body);
        if (whole.Response.StatusCode != 200 || whole.Response.Headers["x-switchboard-cost-usd"].Count != 1)
            throw new InvalidOperationException($"the endpoint answered {whole.Response.StatusCode}");
        var streamed = await RunAsync(_streamBody);
        if (streamed.Response.StatusCode != 200 || streamed.Response.ContentType != "text/event-stream")
            throw new InvalidOperationException($"the streamed endpoint answered {streamed.Response.StatusCode}");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        (_app as IDisposable)?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Only the in-memory context, request and response body the other two start from.</summary>
    [Benchmark(Baseline = true)]
    public HttpContext ContextOnly() => NewContext(_body);

    [Benchmark]
    public Task<HttpContext> NonStreamed() => RunAsync(_body);

    /// <summary>20 chunks and <c>data: [DONE]</c>, as one read (the stub hands the whole stream over at once).</summary>
    [Benchmark]
    public Task<HttpContext> Streamed() => RunAsync(_streamBody);

    private async Task<HttpContext> RunAsync(byte[] body)
    {
        var context = NewContext(body);
        await _chat(context);
        return context;
    }

    private DefaultHttpContext NewContext(byte[] body)
    {
        var context = new DefaultHttpContext { RequestServices = _app?.Services! };
        context.Request.Method = "POST";
        context.Request.Path = "/v1/chat/completions";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        return context;
    }

    /// <summary>Answers every call at once from memory, as OpenAI would (a completion, or a stream when asked).</summary>
    private sealed class AnsweringHandler : HttpMessageHandler
    {
        private static readonly MediaTypeHeaderValue Json = new("application/json");
        private static readonly MediaTypeHeaderValue EventStream = new("text/event-stream");
        private readonly byte[] _completion = Payloads.ChatCompletion();
        private readonly byte[] _stream = Payloads.Concat(Payloads.ChatCompletionStreamEvents());

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var streamed = request.Headers.Accept.Count > 0;
            var response = new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new ByteArrayContent(streamed ? _stream : _completion) { Headers = { ContentType = streamed ? EventStream : Json } },
                RequestMessage = request,
            };
            response.Headers.TryAddWithoutValidation("x-request-id", "req_bench_0001");
            return Task.FromResult(response);
        }
    }
}
