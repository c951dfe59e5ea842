using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Shouldly;
using Switchboard.Gateway.Metrics;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary><c>GET /metrics</c>: Prometheus's text format, fed by every request's usage and the live state.</summary>
public sealed class MetricsTests
{
    private const string MasterKey = "sk-master-metrics-0123456789";

    private static Task<GatewayHost> StartWithMasterKeyAsync() =>
        GatewayHost.StartAsync("server: { master_key: env:SB_MASTER }", env => env["SB_MASTER"] = MasterKey);

    [Fact]
    public async Task Metrics_count_requests_tokens_by_kind_and_durations_after_some_requests()
    {
        await using var host = await StartWithMasterKeyAsync();
        host.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        for (var i = 0; i < 3; i++)
        {
            using var response = await host.PostChatAsync(GatewayHost.ChatBody());
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        using (var streamed = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"))) await streamed.Content.ReadAsStringAsync();

        using var scrape = await host.Http.GetAsync("metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        scrape.Content.Headers.ContentType!.ToString().ShouldStartWith("text/plain; version=0.0.4");
        var samples = Parse(text);
        const string model = "provider=\"openai\",model=\"gpt-4o-mini\"";
        samples[$"switchboard_requests_total{{{model},route=\"none\",key=\"none\",status=\"200\"}}"].ShouldBe(4);
        samples[$"switchboard_tokens_total{{{model},kind=\"input\"}}"].ShouldBe(4 * 19);
        samples[$"switchboard_tokens_total{{{model},kind=\"cached_input\"}}"].ShouldBe(4 * 4);
        samples[$"switchboard_tokens_total{{{model},kind=\"output\"}}"].ShouldBe(4 * 10);
        samples[$"switchboard_tokens_total{{{model},kind=\"reasoning\"}}"].ShouldBe(4 * 2);
        samples[$"switchboard_tokens_total{{{model},kind=\"cache_write\"}}"].ShouldBe(0);
        samples[$"switchboard_cost_usd_total{{{model}}}"].ShouldBe(4 * 0.00000855, 1e-12);
        samples[$"switchboard_request_duration_seconds_count{{{model}}}"].ShouldBe(4);
        samples[$"switchboard_request_duration_seconds_bucket{{{model},le=\"+Inf\"}}"].ShouldBe(4);
        samples[$"switchboard_time_to_first_token_seconds_count{{{model}}}"].ShouldBe(1);
        samples[$"switchboard_circuit_state{{{model}}}"].ShouldBe(0);
        samples["switchboard_provider_health{provider=\"openai\"}"].ShouldBe(1);
        samples["switchboard_unknown_cost_requests_total"].ShouldBe(0);
        samples["switchboard_requests_in_flight"].ShouldBe(0);
        samples.ShouldContainKey("switchboard_usage_records_written_total");
        samples.ShouldContainKey("switchboard_usage_records_pending");
        text.ShouldContain("# TYPE switchboard_request_duration_seconds histogram");
        text.ShouldNotContain(MasterKey);
        text.ShouldNotContain(GatewayHost.OpenAIKey);
    }

    [Fact]
    public async Task Metrics_show_what_is_left_of_each_budget_from_the_shared_ledger()
    {
        await using var host = await GatewayHost.StartAsync("""
            server: { master_key: env:SB_MASTER }
            budgets: { providers: { openai: { usd: 1, period: day } }, models: { gpt-4o-mini: { usd: 0.5, period: month } } }
            """, env => env["SB_MASTER"] = MasterKey);
        host.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey);
        (await host.PostChatAsync(GatewayHost.ChatBody())).StatusCode.ShouldBe(HttpStatusCode.OK);

        var samples = Parse(await host.Http.GetStringAsync("metrics"));

        samples["switchboard_budget_remaining_usd{scope=\"provider\",name=\"openai\",period=\"day\"}"].ShouldBe(1 - 0.00000855, 1e-12);
        samples["switchboard_budget_remaining_usd{scope=\"model\",name=\"gpt-4o-mini\",period=\"month\"}"].ShouldBe(0.5 - 0.00000855, 1e-12);
    }

    [Fact]
    public async Task Metrics_need_the_master_key_when_one_is_set()
    {
        await using var host = await StartWithMasterKeyAsync();

        using var response = await host.Http.GetAsync("metrics");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Failed_requests_are_counted_by_error_category()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { retries: 0 }");
        host.Fake.Enqueue(Testing.UpstreamFault.Status(503));
        using (var failed = await host.PostChatAsync(GatewayHost.ChatBody())) failed.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);

        var samples = Parse(await host.Http.GetStringAsync("metrics"));

        samples["switchboard_errors_total{provider=\"openai\",model=\"gpt-4o-mini\",category=\"Unavailable\"}"].ShouldBe(1);
        samples["switchboard_requests_total{provider=\"openai\",model=\"gpt-4o-mini\",route=\"none\",key=\"none\",status=\"503\"}"].ShouldBe(1);
    }

    [Fact]
    public void Label_values_escape_backslashes_quotes_and_line_feeds()
    {
        var metrics = new GatewayMetrics();
        metrics.Record(Record(model: "odd\\model \"quoted\"\nline"));

        var text = metrics.Format(new Resilience.DeploymentRegistry(new Configuration.ResilienceOptions(), TimeProvider.System), [], writer: null);

        text.ShouldContain("model=\"odd\\\\model \\\"quoted\\\"\\nline\"");
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) line.ShouldMatch("^(# (HELP|TYPE) .*|[a-z_]+(\\{.*\\})? [-+0-9.eEInfNa]+)$");
    }

    [Fact]
    public void Series_beyond_the_cap_are_folded_into_other()
    {
        var metrics = new GatewayMetrics();
        for (var i = 0; i < GatewayMetrics.MaxSeries + 100; i++) metrics.Record(Record(key: "key-" + i.ToString(CultureInfo.InvariantCulture)));

        var samples = Parse(metrics.Format(new Resilience.DeploymentRegistry(new Configuration.ResilienceOptions(), TimeProvider.System), [], writer: null));

        var series = samples.Keys.Count(k => k.StartsWith("switchboard_requests_total{", StringComparison.Ordinal));
        series.ShouldBeLessThanOrEqualTo(GatewayMetrics.MaxSeries + 1);
        samples["switchboard_requests_total{provider=\"other\",model=\"other\",route=\"other\",key=\"other\",status=\"200\"}"].ShouldBeGreaterThanOrEqualTo(100);
        samples.Where(p => p.Key.StartsWith("switchboard_requests_total{", StringComparison.Ordinal)).Sum(p => p.Value).ShouldBe(GatewayMetrics.MaxSeries + 100);
    }

    [Fact]
    public void Counting_a_request_of_a_known_series_allocates_nothing()
    {
        var metrics = new GatewayMetrics();
        var record = Record(key: "key-1") with { TimeToFirstTokenMs = 40, CachedInputTokens = 1 };
        metrics.Record(record);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++) metrics.Record(record);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Not a byte per request: the smallest object is 24 bytes, so any allocation per call would show as 24,000 or
        // more. The runtime itself may allocate once (tiered compilation), hence not exactly 0.
        allocated.ShouldBeLessThan(1000);
    }

    private static UsageRecord Record(string model = "m", string? key = null) => new()
    {
        Id = Guid.NewGuid(),
        Time = DateTimeOffset.UnixEpoch,
        Provider = "p",
        Model = model,
        KeyId = key,
        InputTokens = 1,
        OutputTokens = 1,
        CostUsd = 0.001m,
        LatencyMs = 12,
        Status = 200,
    };

    /// <summary>Each sample line as <c>name{labels}</c> → value.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#')) continue;
            var space = line.LastIndexOf(' ');
            samples.Add(line[..space], double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture));
        }
        return samples;
    }
}
