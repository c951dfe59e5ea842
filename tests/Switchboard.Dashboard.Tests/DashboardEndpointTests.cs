using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shouldly;
using Xunit;
using Switchboard.Gateway.Dashboard;

namespace Switchboard.Dashboard.Tests;

/// <summary>The dashboard's files and its small APIs over plain HTTP: what they serve, to whom, and what bad input gets.</summary>
public sealed class DashboardEndpointTests
{
    private const string Routes = """
        routes:
          smart: { strategy: fallback, targets: [gpt-4o-mini, openai/gpt-4.1] }
        agents:
          pricing: [gpt-4o-mini, smart]
        workflows:
          standard: { plan: gpt-4o-mini, review: openai/gpt-4.1 }
        """;

    [Fact]
    public async Task Root_serves_the_page_shell_with_a_strict_policy_and_no_caching_without_revalidation()
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Http.GetAsync("/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe(DashboardEndpoint.ContentSecurityPolicy);
        DashboardEndpoint.ContentSecurityPolicy.ShouldContain("script-src 'self'");
        DashboardEndpoint.ContentSecurityPolicy.ShouldNotContain("unsafe-inline");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("<script type=\"module\" src=\"/dashboard/app.js\"></script>");
        html.ShouldNotContain("<style");
        html.ShouldNotContain("http://");
        html.ShouldNotContain("https://");
    }

    [Theory]
    [InlineData("/dashboard/app.js", "text/javascript")]
    [InlineData("/dashboard/pages/playground.js", "text/javascript")]
    [InlineData("/dashboard/app.css", "text/css")]
    [InlineData("/dashboard/favicon.svg", "image/svg+xml")]
    public async Task Files_come_with_their_content_type(string path, string type)
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(type);
        (await response.Content.ReadAsByteArrayAsync()).Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_file_asked_again_with_its_etag_is_a_304_without_a_body()
    {
        await using var host = await DashboardHost.StartAsync();
        using var first = await host.Http.GetAsync("/dashboard/app.js");
        var etag = first.Headers.ETag!;

        using var again = new HttpRequestMessage(HttpMethod.Get, "/dashboard/app.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var response = await host.Http.SendAsync(again);

        response.StatusCode.ShouldBe(HttpStatusCode.NotModified);
        response.Headers.ETag.ShouldBe(etag);
        (await response.Content.ReadAsByteArrayAsync()).ShouldBeEmpty();

        using var other = await host.Http.GetAsync("/dashboard/app.css");
        other.Headers.ETag.ShouldNotBe(etag);
    }

    [Fact]
    public async Task An_unknown_dashboard_file_is_a_404_that_points_at_the_dashboard()
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Http.GetAsync("/dashboard/nope.js");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Open / for the dashboard");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/dashboard/app.js")]
    [InlineData("/dashboard/pages/usage.js")]
    [InlineData("/favicon.ico")]
    [InlineData("/api/session")]
    public async Task With_a_master_key_the_page_shell_and_session_open_without_one(string path)
    {
        await using var host = await DashboardHost.StartAsync(masterKey: true);
        using var response = await host.Http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("GET", "/api/usage")]
    [InlineData("GET", "/api/catalog")]
    [InlineData("GET", "/api/cost?model=gpt-4o-mini")]
    [InlineData("GET", "/api/routes")]
    [InlineData("GET", "/api/keys")]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/v1/chat/completions")]
    [InlineData("POST", "/")]
    [InlineData("GET", "/dashboardx")]
    [InlineData("GET", "/metrics")]
    public async Task With_a_master_key_the_apis_still_need_it(string method, string path)
    {
        await using var host = await DashboardHost.StartAsync(masterKey: true);
        using var response = await host.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Session_says_whether_the_master_key_is_needed_and_whether_it_was_sent()
    {
        await using var open = await DashboardHost.StartAsync();
        var loopback = await JsonAsync(open.Http, new HttpRequestMessage(HttpMethod.Get, "/api/session"));
        loopback.GetProperty("master_key_required").GetBoolean().ShouldBeFalse();
        loopback.GetProperty("authenticated").GetBoolean().ShouldBeTrue();
        loopback.GetProperty("features").GetProperty("storage").GetBoolean().ShouldBeTrue();
        await using var storeless = await DashboardHost.StartAsync(store: false);
        var storelessSession = await JsonAsync(storeless.Http, new HttpRequestMessage(HttpMethod.Get, "/api/session"));
        storelessSession.GetProperty("features").GetProperty("storage").GetBoolean().ShouldBeFalse();

        await using var closed = await DashboardHost.StartAsync(masterKey: true);
        var none = await JsonAsync(closed.Http, new HttpRequestMessage(HttpMethod.Get, "/api/session"));
        none.GetProperty("master_key_required").GetBoolean().ShouldBeTrue();
        none.GetProperty("authenticated").GetBoolean().ShouldBeFalse();

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/session");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-key");
        var refused = await JsonAsync(closed.Http, wrong);
        refused.GetProperty("authenticated").GetBoolean().ShouldBeFalse();
        refused.GetProperty("message").GetString()!.ShouldContain("does not match");
        refused.GetRawText().ShouldNotContain(DashboardHost.MasterKey);

        var right = await JsonAsync(closed.Http, closed.WithKey(HttpMethod.Get, "/api/session"));
        right.GetProperty("authenticated").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Catalog_lists_providers_with_their_enabled_flag_models_and_prices()
    {
        await using var host = await DashboardHost.StartAsync("aliases: { mini: gpt-4o-mini }");
        var catalog = await JsonAsync(host.Http, new HttpRequestMessage(HttpMethod.Get, "/api/catalog"));

        var providers = catalog.GetProperty("providers").EnumerateArray().ToList();
        var openai = providers.Single(p => p.GetProperty("name").GetString() == "openai");
        openai.GetProperty("enabled").GetBoolean().ShouldBeTrue();
        var mini = openai.GetProperty("models").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "gpt-4o-mini");
        mini.GetProperty("input_per_mtok").GetDecimal().ShouldBe(0.15m);
        mini.GetProperty("output_per_mtok").GetDecimal().ShouldBe(0.6m);
        providers.ShouldContain(p => !p.GetProperty("enabled").GetBoolean());
        providers[0].GetProperty("enabled").GetBoolean().ShouldBeTrue();
        catalog.GetProperty("aliases").GetProperty("mini").GetString().ShouldBe("gpt-4o-mini");
    }

    [Fact]
    public async Task Cost_prices_tokens_as_the_gateway_does()
    {
        await using var host = await DashboardHost.StartAsync();
        var cost = await JsonAsync(host.Http, new HttpRequestMessage(HttpMethod.Get,
            "/api/cost?provider=openai&model=gpt-4o-mini&input_tokens=19&output_tokens=10&cached_input_tokens=4&reasoning_tokens=2"));

        // 15 uncached input at 0.15, 4 cached at 0.075, 8 output and 2 reasoning at 0.6, per million tokens.
        cost.GetProperty("cost_usd").GetDecimal().ShouldBe(0.00000855m);
        cost.GetProperty("priced").GetBoolean().ShouldBeTrue();
        cost.GetProperty("provider").GetString().ShouldBe("openai");
    }

    [Fact]
    public async Task Cost_of_a_model_without_a_price_is_unknown_not_zero()
    {
        await using var host = await DashboardHost.StartAsync();
        var cost = await JsonAsync(host.Http, new HttpRequestMessage(HttpMethod.Get, "/api/cost?provider=openai&model=my-finetune&input_tokens=10&output_tokens=10"));

        cost.GetProperty("cost_usd").ValueKind.ShouldBe(JsonValueKind.Null);
        cost.GetProperty("priced").GetBoolean().ShouldBeFalse();
    }

    [Theory]
    [InlineData("/api/cost?input_tokens=1", "model")]
    [InlineData("/api/cost?model=gpt-4o-mini&input_tokens=-1", "input_tokens")]
    [InlineData("/api/cost?model=gpt-4o-mini&output_tokens=many", "output_tokens")]
    [InlineData("/api/cost?model=gpt-4o-mini&provider=nowhere", "provider")]
    public async Task Cost_with_bad_input_is_a_400_naming_the_parameter(string path, string parameter)
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Http.GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("error").GetProperty("param").GetString().ShouldBe(parameter);
    }

    [Fact]
    public async Task Routes_shows_the_config_with_the_provider_of_each_target()
    {
        await using var host = await DashboardHost.StartAsync(Routes);
        var routes = await JsonAsync(host.Http, new HttpRequestMessage(HttpMethod.Get, "/api/routes"));

        var smart = routes.GetProperty("routes").EnumerateArray().Single();
        smart.GetProperty("name").GetString().ShouldBe("smart");
        smart.GetProperty("strategy").GetString().ShouldBe("fallback");
        var targets = smart.GetProperty("targets").EnumerateArray().ToList();
        targets.Select(t => t.GetProperty("target").GetString()).ShouldBe(["gpt-4o-mini", "openai/gpt-4.1"]);
        targets.ShouldAllBe(t => t.GetProperty("provider").GetString() == "openai");
        targets[1].GetProperty("model").GetString().ShouldBe("gpt-4.1");

        var agent = routes.GetProperty("agents").EnumerateArray().Single();
        agent.GetProperty("name").GetString().ShouldBe("pricing");
        agent.GetProperty("targets")[1].GetProperty("kind").GetString().ShouldBe("route");

        var stages = routes.GetProperty("workflows")[0].GetProperty("stages").EnumerateArray().ToList();
        stages.Select(s => s.GetProperty("stage").GetString()).ShouldBe(["plan", "review"]);
    }

    [Fact]
    public async Task The_404_message_names_the_dashboard_endpoints()
    {
        await using var host = await DashboardHost.StartAsync();
        using var response = await host.Http.GetAsync("/api/nothing");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("/api/catalog");
        text.ShouldContain("dashboard at GET /");
    }

    private static async Task<JsonElement> JsonAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
    }
}
