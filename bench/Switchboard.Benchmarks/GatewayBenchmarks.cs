using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Configuration;
using Switchboard.Gateway;

namespace Switchboard.Benchmarks;

/// <summary>
/// End to end in one process over loopback: the real gateway (Kestrel, endpoint, runtime, executor, pooled
/// upstream connection) in front of <see cref="TinyUpstream"/>, against the same request sent straight to
/// the tiny upstream. <c>Gateway - Direct</c> is the latency and the allocation (client, gateway and
/// upstream all count: <see cref="MemoryDiagnoser"/> measures the whole process) that the gateway adds.
/// <c>GatewayFallback</c> asks for a route whose first target answers 503 (the tiny upstream's <c>/down</c>) and whose
/// second answers: beyond <c>GatewayNonStreamed</c>, it is what a failed first attempt costs. The circuit breaker is
/// kept from opening, so every request really takes the failed call.
/// </summary>
[MemoryDiagnoser]
public class GatewayBenchmarks : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private TinyUpstream _upstream = null!;
    private WebApplication _gateway = null!;
    private HttpClient _client = null!;
    private Uri _direct = null!;
    private Uri _throughGateway = null!;
    private readonly byte[] _body = Payloads.ChatRequest();
    private readonly byte[] _streamBody = Payloads.ChatRequest(stream: true);
    private readonly byte[] _fallbackBody = Payloads.ChatRequest(model: "fallback");
    private readonly byte[] _sink = new byte[16 * 1024];
    private string? _database;

    /// <summary>Whether the gateway logs each request's usage to SQLite (its default) or keeps no store.</summary>
    [Params(false, true)]
    public bool UsageLog { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _upstream = await TinyUpstream.StartAsync();
        var environment = Payloads.Environment(_upstream.Origin + "/v1");
        var options = ConfigLoader.Parse($$"""
            providers:
              down: { type: openai-compatible, base_url: "{{_upstream.Origin}}/down/v1", api_key: sk-bench-down }
            resilience: { retries: 0, circuit_breaker: { minimum_requests: 2000000000 } }
            routes:
              fallback: { strategy: fallback, targets: [down/gpt-4o-mini, gpt-4o-mini] }
            """, "bench.yaml", environment);
        _database = UsageLog ? Path.Combine(Path.GetTempPath(), $"switchboard-bench-{Guid.NewGuid():N}.db") : null;
        _gateway = SwitchboardGateway.Build(options, new GatewayHostOptions
        {
            Port = 0, ConsoleLogging = false, Environment = environment, Storage = _database is null ? "none" : "sqlite:" + _database,
        });
        await _gateway.StartAsync();
        var gatewayOrigin = _gateway.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single().TrimEnd('/');

        _direct = new Uri(_upstream.Origin + "/v1/chat/completions");
        _throughGateway = new Uri(gatewayOrigin + "/v1/chat/completions");
        // One client, one pool, kept warm across calls, as an SDK keeps its HttpClient. No proxy: the
        // machine's proxy variables must not put a third hop in the way.
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None });

        using var checkRequest = Request(_throughGateway, _body);
        using var check = await _client.SendAsync(checkRequest);
        if (check.StatusCode != HttpStatusCode.OK || !check.Headers.TryGetValues("x-switchboard-provider", out var provider) || provider.Single() != "openai")
            throw new InvalidOperationException($"the gateway answered {(int)check.StatusCode}: {await check.Content.ReadAsStringAsync()}");
        Console.WriteLine($"// gateway {gatewayOrigin} -> upstream {_upstream.Origin}; x-switchboard-overhead-ms on a cold call: {check.Headers.GetValues("x-switchboard-overhead-ms").Single()}");
        using var fallbackRequest = Request(_throughGateway, _fallbackBody);
        using var fallback = await _client.SendAsync(fallbackRequest);
        var attempts = fallback.Headers.GetValues("x-switchboard-attempts").Single();
        if (fallback.StatusCode != HttpStatusCode.OK || !attempts.StartsWith("down/gpt-4o-mini unavailable:503", StringComparison.Ordinal))
            throw new InvalidOperationException($"the fallback did not happen: {(int)fallback.StatusCode}, attempts {attempts}");
        var streamed = await ReadAllAsync(_throughGateway, _streamBody);
        if (streamed < 4000) throw new InvalidOperationException($"the gateway's stream had only {streamed} bytes");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _client?.Dispose();
        _gateway?.StopAsync().GetAwaiter().GetResult();
        (_gateway as IDisposable)?.Dispose();
        _upstream?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_database is not null)
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(_database)!, Path.GetFileName(_database) + "*")) File.Delete(file);
        }
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task<int> DirectNonStreamed() => ReadAllAsync(_direct, _body);

    [Benchmark]
    public Task<int> GatewayNonStreamed() => ReadAllAsync(_throughGateway, _body);

    [Benchmark]
    public Task<int> GatewayFallback() => ReadAllAsync(_throughGateway, _fallbackBody);

    /// <summary>20 chunks and <c>data: [DONE]</c>, each flushed on its own by the upstream.</summary>
    [Benchmark]
    public Task<int> DirectStreamed() => ReadAllAsync(_direct, _streamBody);

    [Benchmark]
    public Task<int> GatewayStreamed() => ReadAllAsync(_throughGateway, _streamBody);

    private async Task<int> ReadAllAsync(Uri url, byte[] body)
    {
        using var request = Request(url, body);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
        await using var stream = await response.Content.ReadAsStreamAsync();
        var total = 0;
        int read;
        while ((read = await stream.ReadAsync(_sink)) > 0) total += read;
        return total;
    }

    private static HttpRequestMessage Request(Uri url, byte[] body) =>
        new(HttpMethod.Post, url) { Content = new ByteArrayContent(body) { Headers = { ContentType = Json } } };
}
