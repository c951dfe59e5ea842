using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using Switchboard.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium) against the real gateway and a fake OpenAI upstream: every page
/// shows its content, and nothing logs an error to the console, throws, or fails to load.
/// </summary>
public sealed class DashboardPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string Config = """
        routes:
          smart: { strategy: fallback, targets: [gpt-4o-mini, openai/gpt-4.1] }
        agents:
          pricing: [gpt-4o-mini]
        """;

    /// <summary>The fake's usage priced by the catalog: 15 uncached and 4 cached input, 8 output and 2 reasoning tokens of gpt-4o-mini.</summary>
    private const string FakeCost = "$0.00000855";

    [Fact]
    public async Task Every_page_shows_its_content_without_a_console_error()
    {
        await using var host = await DashboardHost.StartAsync(Config, masterKey: true);
        await host.ChatAsync(withKey: true);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("usage");
        await watched.SignInAsync();

        await Expect(watched.Page.Locator("[data-total=requests]")).ToHaveTextAsync("1");
        var pages = new (string Page, string Selector, string Text)[]
        {
            ("providers", "#providers tr[data-provider=openai]", "openai"),
            ("playground", "#playground-form", "Temperature"),
            ("jobs", "#page-jobs", "Jobs"),
            ("keys", "#key-form", "Create a key"),
            ("routes", "#routes-table", "smart"),
            ("usage", "#usage-by-model", "gpt-4o-mini"),
        };
        foreach (var (page, selector, text) in pages)
        {
            await watched.Page.Locator($"#nav a[data-page={page}]").ClickAsync();
            await Expect(watched.Page.Locator(selector)).ToContainTextAsync(text);
            await Expect(watched.Page.Locator($"#nav a[data-page={page}]")).ToHaveClassAsync(new Regex("active"));
        }
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Without_a_master_key_the_dashboard_opens_without_sign_in()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.Page.GotoAsync("/");

        await Expect(watched.Page.Locator("#page-usage h1")).ToHaveTextAsync("Usage");
        await Expect(watched.Page.Locator("#sign-in")).ToBeHiddenAsync();
        await Expect(watched.Page.Locator("#sign-out")).ToBeHiddenAsync();
        await watched.GoToAsync("keys");
        await Expect(watched.Page.Locator("#page-keys")).ToContainTextAsync("needs the gateway's master key");
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Sign_in_shows_the_gateways_message_for_a_wrong_key_and_usage_for_the_right_one()
    {
        await using var host = await DashboardHost.StartAsync(masterKey: true);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.Page.GotoAsync("/");
        await Expect(watched.Page.Locator("#sign-in-form")).ToBeVisibleAsync();
        await Expect(watched.Page.Locator("#nav")).ToBeHiddenAsync();

        await watched.SignInAsync("wrong-key");
        await Expect(watched.Page.Locator("#sign-in-error")).ToContainTextAsync("does not match this gateway's master key");
        await Expect(watched.Page.Locator("#nav")).ToBeHiddenAsync();

        await watched.SignInAsync();
        await Expect(watched.Page.Locator("#page-usage h1")).ToHaveTextAsync("Usage");
        await Expect(watched.Page.Locator("#sign-in")).ToBeHiddenAsync();

        // The key is kept for the tab: a reload goes straight to the page; signing out forgets it.
        await watched.Page.ReloadAsync();
        await Expect(watched.Page.Locator("#page-usage h1")).ToHaveTextAsync("Usage");
        await watched.Page.Locator("#sign-out").ClickAsync();
        await Expect(watched.Page.Locator("#sign-in-form")).ToBeVisibleAsync();
        (await watched.Page.EvaluateAsync<string?>("sessionStorage.getItem('switchboard.master_key')")).ShouldBeNull();
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task A_401_from_the_gateway_returns_to_sign_in_with_its_message()
    {
        await using var host = await DashboardHost.StartAsync(masterKey: true);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("providers");
        await watched.SignInAsync();
        await Expect(watched.Page.Locator("#page-providers h1")).ToHaveTextAsync("Providers");

        // As if the gateway's master key changed while the page was open: its next call is refused.
        await watched.Page.RouteAsync("**/api/usage**", route => route.FulfillAsync(new()
        {
            Status = 401,
            ContentType = "application/json",
            Body = """{"error":{"message":"The key sent does not match this gateway's master key.","type":"authentication_error","param":null,"code":"invalid_api_key"}}""",
        }));
        await watched.Page.Locator("#nav a[data-page=usage]").ClickAsync();

        await Expect(watched.Page.Locator("#sign-in-form")).ToBeVisibleAsync();
        await Expect(watched.Page.Locator("#sign-in-error")).ToHaveTextAsync("The key sent does not match this gateway's master key.");
        await Expect(watched.Page.Locator("#nav")).ToBeHiddenAsync();
        (await watched.Page.EvaluateAsync<string?>("sessionStorage.getItem('switchboard.master_key')")).ShouldBeNull();
        watched.Problems.ShouldAllBe(p => p.Contains("401"));
    }

    [Fact]
    public async Task A_kept_key_that_no_longer_opens_the_gateway_is_dropped_with_the_reason()
    {
        await using var host = await DashboardHost.StartAsync(masterKey: true);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.Page.GotoAsync("/dashboard/favicon.svg");
        await watched.Page.EvaluateAsync("sessionStorage.setItem('switchboard.master_key', 'an-old-key')");
        await watched.GoToAsync("usage");

        await Expect(watched.Page.Locator("#sign-in-error")).ToContainTextAsync("does not match this gateway's master key");
        (await watched.Page.EvaluateAsync<string?>("sessionStorage.getItem('switchboard.master_key')")).ShouldBeNull();
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Usage_shows_charts_and_totals_of_the_requests_made()
    {
        await using var host = await DashboardHost.StartAsync(Config);
        for (var i = 0; i < 3; i++) await host.ChatAsync();
        await host.ChatAsync(agent: "pricing");
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("usage");

        await Expect(watched.Page.Locator("[data-total=requests]")).ToHaveTextAsync("4");
        await Expect(watched.Page.Locator("[data-total=input_tokens]")).ToHaveTextAsync((4 * FakeOpenAIUpstream.PromptTokens).ToString());
        await Expect(watched.Page.Locator("[data-total=output_tokens]")).ToHaveTextAsync((4 * FakeOpenAIUpstream.CompletionTokens).ToString());
        await Expect(watched.Page.Locator("[data-total=cost_usd]")).ToHaveTextAsync("$0.0000342");
        (await watched.Page.Locator("svg.chart").CountAsync()).ShouldBe(6);
        (await watched.Page.Locator("svg.chart rect.bar").CountAsync()).ShouldBeGreaterThanOrEqualTo(6);
        await Expect(watched.Page.Locator("svg.share-chart rect.bar[data-label='gpt-4o-mini']").First).ToHaveAttributeAsync("data-value", "4");

        // Filtered by agent: only the one request made as the pricing agent.
        await watched.Page.Locator("#usage-filters input[name=agent]").FillAsync("pricing");
        await watched.Page.Locator("#usage-filters button[type=submit]").ClickAsync();
        await Expect(watched.Page.Locator("[data-total=requests]")).ToHaveTextAsync("1");

        // A range that starts tomorrow has none of them, and the charts say so.
        await watched.Page.Locator("#usage-filters input[name=agent]").FillAsync("");
        await watched.Page.Locator("#usage-filters input[name=from]").FillAsync(DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd"));
        await watched.Page.Locator("#usage-filters button[type=submit]").ClickAsync();
        await Expect(watched.Page.Locator("[data-total=requests]")).ToHaveTextAsync("0");
        await Expect(watched.Page.Locator("svg.chart .chart-empty")).ToHaveCountAsync(6);
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Providers_shows_health_circuit_and_latency_of_the_provider_called()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.ChatAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("providers");

        var row = watched.Page.Locator("#providers tr[data-provider=openai]");
        await Expect(row).ToContainTextAsync("healthy");
        await Expect(row).ToContainTextAsync("gpt-4o-mini");
        await Expect(row.Locator(".badge.circuit-closed")).ToHaveTextAsync("closed");
        await Expect(row.Locator("[data-latency=p50]")).ToHaveTextAsync(new Regex(@"^\d+(\.\d+)? ms$"));
        await Expect(row.Locator("[data-latency=p95]")).ToHaveTextAsync(new Regex(@"^\d+(\.\d+)? ms$"));
        await Expect(row).ToContainTextAsync("0.0%");
        await Expect(watched.Page.Locator("#providers-updated")).ToContainTextAsync("every 3 s");
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Playground_streams_the_answer_with_tokens_cost_and_the_routing_decision()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("playground");

        await watched.Page.Locator("#playground-provider").SelectOptionAsync("openai");
        await watched.Page.Locator("#playground-model").FillAsync("gpt-4o-mini");
        await watched.Page.Locator("#playground-system").FillAsync("Be brief.");
        await watched.Page.Locator("#playground-user").FillAsync("Say hello.");
        await watched.Page.Locator("#playground-temperature").FillAsync("0.2");
        await Expect(watched.Page.Locator("#playground-stream")).ToBeCheckedAsync();
        var gate = host.Fake.HoldStream();
        await watched.Page.Locator("#playground-send").ClickAsync();

        // Held after its first chunk, the stream is under way in the page: reading, not waiting for the whole answer.
        await gate.FirstChunkSent.WaitAsync(TimeSpan.FromSeconds(15));
        await Expect(watched.Page.Locator("#playground-status")).ToHaveTextAsync("Streaming…");
        await Expect(watched.Page.Locator("#playground-stop")).ToBeEnabledAsync();
        (await watched.Page.Locator("#playground-answer").TextContentAsync()).ShouldNotBe(FakeOpenAIUpstream.StreamText);
        gate.Release();

        await Expect(watched.Page.Locator("#playground-answer")).ToHaveTextAsync(FakeOpenAIUpstream.StreamText);
        await Expect(watched.Page.Locator("#playground-status")).ToContainTextAsync("Done");
        await Expect(watched.Page.Locator("[data-field=input-tokens]")).ToHaveTextAsync(FakeOpenAIUpstream.PromptTokens.ToString());
        await Expect(watched.Page.Locator("[data-field=output-tokens]")).ToHaveTextAsync(FakeOpenAIUpstream.CompletionTokens.ToString());
        await Expect(watched.Page.Locator("[data-field=cost]")).ToHaveTextAsync(FakeCost);
        await Expect(watched.Page.Locator("#playground-decision [data-field=provider]")).ToHaveTextAsync("openai");
        await Expect(watched.Page.Locator("#playground-decision [data-field=model]")).ToHaveTextAsync("gpt-4o-mini");
        await Expect(watched.Page.Locator("#playground-decision [data-field=attempts]")).ToContainTextAsync("openai/gpt-4o-mini");

        var sent = host.Fake.Requests[^1].BodyText;
        sent.ShouldContain("\"stream\":true");
        sent.ShouldContain("\"include_usage\":true");
        sent.ShouldContain("\"temperature\":0.2");
        sent.ShouldContain("Be brief.");
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Playground_shows_a_whole_answer_with_its_cost_header_and_route()
    {
        await using var host = await DashboardHost.StartAsync(Config);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("playground");

        await watched.Page.Locator("#playground-model").FillAsync("smart");
        await watched.Page.Locator("#playground-user").FillAsync("Hello?");
        await watched.Page.Locator("#playground-stream").UncheckAsync();
        await watched.Page.Locator("#playground-send").ClickAsync();

        await Expect(watched.Page.Locator("#playground-answer")).ToHaveTextAsync(FakeOpenAIUpstream.CompletionText);
        await Expect(watched.Page.Locator("[data-field=cost]")).ToHaveTextAsync(FakeCost);
        await Expect(watched.Page.Locator("#playground-decision [data-field=route]")).ToHaveTextAsync("smart");
        await Expect(watched.Page.Locator("#playground-decision [data-field=provider]")).ToHaveTextAsync("openai");
        host.Fake.Requests[^1].BodyText.ShouldNotContain("\"stream\"");
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Keys_are_created_shown_once_listed_and_revoked()
    {
        await using var host = await DashboardHost.StartAsync(masterKey: true);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("keys");
        await watched.SignInAsync();
        await Expect(watched.Page.Locator("#page-keys")).ToContainTextAsync("No virtual keys yet.");

        await watched.Page.Locator("#key-name").FillAsync("ci");
        await watched.Page.Locator("#key-budget").FillAsync("5");
        await watched.Page.Locator("#key-rpm").FillAsync("60");
        await watched.Page.Locator("#key-create").ClickAsync();

        await Expect(watched.Page.Locator("#new-key")).ToHaveTextAsync(new Regex("^sk-sb-"));
        var key = await watched.Page.Locator("#new-key").TextContentAsync();
        var row = watched.Page.Locator("#keys tbody tr").Filter(new() { HasText = "ci" });
        await Expect(row).ToContainTextAsync("active");
        await Expect(row).ToContainTextAsync("$5.00 / month");
        await Expect(row).ToContainTextAsync("60 rpm");
        (await watched.Page.Locator("#keys").TextContentAsync())!.ShouldNotContain(key!);

        await row.Locator("button[data-revoke]").ClickAsync();
        await Expect(row).ToContainTextAsync("revoked");
        await Expect(row.Locator("button[data-revoke]")).ToHaveCountAsync(0);
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task Routes_shows_the_config_and_explains_a_request()
    {
        await using var host = await DashboardHost.StartAsync(Config);
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("routes");

        var smart = watched.Page.Locator("#routes-table tbody tr").Filter(new() { HasText = "smart" });
        await Expect(smart).ToContainTextAsync("fallback");
        await Expect(smart).ToContainTextAsync("openai/gpt-4.1");
        await Expect(watched.Page.Locator("#agents-table")).ToContainTextAsync("pricing");

        await watched.Page.Locator("#explain-model").FillAsync("smart");
        await watched.Page.Locator("#explain-prompt").FillAsync("What is 2 + 2?");
        await watched.Page.Locator("#explain-submit").ClickAsync();

        await Expect(watched.Page.Locator("#explain-result [data-field=route]")).ToHaveTextAsync("smart");
        var candidates = watched.Page.Locator("#explain-candidates tbody tr");
        await Expect(candidates).ToHaveCountAsync(2);
        await Expect(candidates.Nth(0)).ToContainTextAsync("gpt-4o-mini");
        await Expect(candidates.Nth(1)).ToContainTextAsync("gpt-4.1");
        (await watched.Page.Locator("#explain-result").TextContentAsync())!.ShouldNotContain("null");
        watched.ShouldHaveNoProblems();
    }
}
