using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Configuration;
using Switchboard.Gateway;
using Switchboard.Testing;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// The real gateway (Kestrel on 127.0.0.1:0, a SQLite file of its own) in front of a fake OpenAI upstream, for the
/// dashboard to talk to. <c>{fake}</c> in the YAML stands for the fake's base URL.
/// </summary>
internal sealed class DashboardHost : IAsyncDisposable
{
    public const string MasterKey = "sb-master-test-key";

    private readonly string _folder;

    private DashboardHost(FakeOpenAIUpstream fake, WebApplication app, Uri url, string folder)
    {
        Fake = fake;
        App = app;
        Url = url;
        _folder = folder;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    public FakeOpenAIUpstream Fake { get; }

    public WebApplication App { get; }

    /// <summary>The gateway's origin, e.g. <c>http://127.0.0.1:41234/</c>: the dashboard's address.</summary>
    public Uri Url { get; }

    /// <summary>A client with no key.</summary>
    public HttpClient Http { get; }

    /// <param name="masterKey">Whether the gateway has <see cref="MasterKey"/> as its master key.</param>
    /// <param name="store">Whether the gateway has a store (a SQLite file of its own) or runs with <c>storage: none</c>.</param>
    public static async Task<DashboardHost> StartAsync(string yaml = "", bool masterKey = false, bool store = true)
    {
        var fake = await FakeOpenAIUpstream.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-dashboard-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var env = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["OPENAI_API_KEY"] = "sk-test-aaaaaaaa",
                ["OPENAI_BASE_URL"] = fake.BaseUrl.ToString(),
                ["SWITCHBOARD_MASTER_KEY"] = masterKey ? MasterKey : null,
            };
            string? Lookup(string name) => env.GetValueOrDefault(name);
            var text = (masterKey ? "server: { master_key: env:SWITCHBOARD_MASTER_KEY }\n" : "") + yaml.Replace("{fake}", fake.BaseUrl.ToString(), StringComparison.Ordinal);
            var options = ConfigLoader.Parse(text, "dashboard-test.yaml", Lookup);
            var app = SwitchboardGateway.Build(options, new GatewayHostOptions
            {
                Port = 0,
                Environment = Lookup,
                ConsoleLogging = false,
                Storage = store ? "sqlite:" + Path.Combine(folder, "switchboard.db") : "none",
            });
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new DashboardHost(fake, app, new Uri(address.TrimEnd('/') + "/"), folder);
        }
        catch
        {
            await fake.DisposeAsync();
            throw;
        }
    }

    /// <summary>A request to the gateway carrying the master key.</summary>
    public HttpRequestMessage WithKey(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        return request;
    }

    /// <summary>A whole (not streamed) chat request through the gateway, as a client would make it.</summary>
    public async Task ChatAsync(string model = "gpt-4o-mini", bool withKey = false, string? agent = null)
    {
        using var request = withKey ? WithKey(HttpMethod.Post, "v1/chat/completions") : new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions");
        request.Content = new StringContent($$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hello!"}]}""", System.Text.Encoding.UTF8, "application/json");
        if (agent is not null) request.Headers.Add("x-switchboard-agent", agent);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
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
            // Kestrel has dropped what was left.
        }
        await App.DisposeAsync();
        await Fake.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open: the temp folder is cleaned in time.
        }
    }
}
