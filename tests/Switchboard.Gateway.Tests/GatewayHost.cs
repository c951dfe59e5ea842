using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Configuration;
using Switchboard.Testing;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// A fake OpenAI upstream and the real gateway (Kestrel on 127.0.0.1:0) in front of it, configured from
/// YAML and an environment of its own: the machine's variables never leak in.
/// </summary>
/// <remarks>
/// In the YAML, <c>{fake}</c> stands for the fake's base URL (<c>http://127.0.0.1:port/v1</c>). The environment
/// starts with <c>OPENAI_API_KEY</c> = <see cref="OpenAIKey"/> and <c>OPENAI_BASE_URL</c> = the fake; the
/// <c>environment</c> callback may change or remove (set to null) any variable.
/// </remarks>
internal sealed class GatewayHost : IAsyncDisposable
{
    public const string OpenAIKey = "sk-test-aaaaaaaa";
    public const string Placeholder = "{fake}";

    private GatewayHost(FakeOpenAIUpstream fake, WebApplication app, Uri url)
    {
        Fake = fake;
        App = app;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeOpenAIUpstream Fake { get; }

    public WebApplication App { get; }

    /// <summary>The gateway's origin, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The OpenAI SDK's endpoint: the gateway's <c>/v1</c>.</summary>
    public Uri V1 => new(Url, "v1");

    public HttpClient Http { get; }

    /// <param name="time">The gateway's clock, for breaker and health timings; the system's by default.</param>
    /// <param name="storage">The store; by default a fresh SQLite file of this gateway's own.</param>
    public static async Task<GatewayHost> StartAsync(string yaml = "", Action<Dictionary<string, string?>>? environment = null, TimeProvider? time = null, string? storage = null)
    {
        var fake = await FakeOpenAIUpstream.StartAsync();
        try
        {
            var env = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["OPENAI_API_KEY"] = OpenAIKey,
                ["OPENAI_BASE_URL"] = fake.BaseUrl.ToString(),
            };
            environment?.Invoke(env);
            var app = Build(yaml.Replace(Placeholder, fake.BaseUrl.ToString(), StringComparison.Ordinal), env, time: time, storage: storage);
            try
            {
                await app.StartAsync();
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                return new GatewayHost(fake, app, new Uri(address.EndsWith('/') ? address : address + "/"));
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds (without starting) a gateway from YAML and an environment, as the CLI would.</summary>
    /// <param name="storage">The store; by default a fresh SQLite file of this gateway's own.</param>
    public static WebApplication Build(string yaml, IReadOnlyDictionary<string, string?> env, string? host = null, TimeProvider? time = null, string? storage = null)
    {
        string? Lookup(string name) => env.GetValueOrDefault(name);
        var options = ConfigLoader.Parse(yaml, "test.yaml", Lookup);
        return SwitchboardGateway.Build(options, new GatewayHostOptions { Host = host, Port = 0, Environment = Lookup, ConsoleLogging = false, Time = time, Storage = storage ?? TestDatabases.NewSqlite() });
    }

    /// <summary>A minimal valid request body for <paramref name="model"/>; <paramref name="extra"/> is raw JSON members appended.</summary>
    public static string ChatBody(string model = "gpt-4o-mini", string? extra = null) =>
        $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello!"}]{{(extra is null ? "" : "," + extra)}}}""";

    public Task<HttpResponseMessage> PostChatAsync(string body, Action<HttpRequestMessage>? configure = null) =>
        PostRawAsync(Encoding.UTF8.GetBytes(body), configure);

    public async Task<HttpResponseMessage> PostRawAsync(byte[] body, Action<HttpRequestMessage>? configure = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        configure?.Invoke(request);
        return await Http.SendAsync(request, completion);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await App.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Kestrel has dropped what was left; nothing more to wait for.
        }
        await App.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
