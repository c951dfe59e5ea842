using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// A route over two providers, each a fake OpenAI-compatible server: the first is <c>openai</c> (the host's fake),
/// the second <c>backup</c>. Faults are put on the first to see what the client gets and who was called.
/// </summary>
public sealed class FallbackTests : IAsyncLifetime
{
    private FakeOpenAIUpstream _backup = null!;

    public async Task InitializeAsync() => _backup = await FakeOpenAIUpstream.StartAsync();

    public async Task DisposeAsync() => await _backup.DisposeAsync();

    /// <param name="routes">More routes, as lines under <c>routes:</c>.</param>
    private Task<GatewayHost> StartAsync(string routes = "", string resilience = "retries: 0", TimeProvider? time = null) =>
        GatewayHost.StartAsync($$"""
            providers:
              backup: { type: openai-compatible, base_url: "{{_backup.BaseUrl}}", api_key: sk-backup-key }
            models:
              - { name: backup/small-model, context_window: 8000 }
              - { name: backup/big-model, context_window: 1000000 }
            resilience: { {{resilience}} }
            routes:
              smart: { strategy: fallback, targets: [gpt-4o-mini, backup/gpt-4o-mini] }
            {{routes}}
            """, time: time);

    private static string Body(string model = "smart", string? extra = null) => GatewayHost.ChatBody(model, extra);

    [Fact]
    public async Task A_503_from_the_first_target_falls_back_to_the_second()
    {
        await using var host = await StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(503));

        using var response = await host.PostChatAsync(Body());

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-route").ShouldBe("smart");
        response.Header("x-switchboard-provider").ShouldBe("backup");
        response.Attempts().ShouldBe(["openai/gpt-4o-mini unavailable:503", "backup/gpt-4o-mini ok"]);
        JsonDocument.Parse(_backup.Requests.Single().Body).RootElement.GetProperty("model").GetString().ShouldBe("gpt-4o-mini");
        _backup.Requests.Single().Headers["authorization"].ShouldBe("Bearer sk-backup-key");
    }

    [Fact]
    public async Task A_bad_request_is_not_sent_to_the_next_target()
    {
        await using var host = await StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(400));

        using var response = await host.PostChatAsync(Body());

        await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        response.Attempts().ShouldBe(["openai/gpt-4o-mini bad_request:400"]);
        _backup.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_429_with_retry_after_one_second_is_retried_after_a_second()
    {
        await using var host = await StartAsync(resilience: "retries: 2");
        host.Fake.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(1)));
        var clock = Stopwatch.StartNew();

        using var response = await host.PostChatAsync(Body("gpt-4o-mini"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        clock.Elapsed.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(0.95));
        response.Attempts().ShouldBe(["openai/gpt-4o-mini rate_limited:429", "openai/gpt-4o-mini ok"]);
        host.Fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_rate_limit_asking_for_longer_than_the_longest_retry_wait_falls_back_at_once()
    {
        await using var host = await StartAsync(resilience: "retries: 2, max_retry_delay: 2s");
        host.Fake.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(60)));
        var clock = Stopwatch.StartNew();

        using var response = await host.PostChatAsync(Body());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        response.Attempts().ShouldBe(["openai/gpt-4o-mini rate_limited:429", "backup/gpt-4o-mini ok"]);
    }

    [Fact]
    public async Task A_hanging_first_target_times_out_at_the_routes_timeout_and_falls_back()
    {
        await using var host = await StartAsync("  slow: { strategy: fallback, timeout: 300ms, targets: [gpt-4o-mini, backup/gpt-4o-mini] }");
        host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromSeconds(30)));
        var clock = Stopwatch.StartNew();

        using var response = await host.PostChatAsync(Body("slow"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        var attempts = response.Header("x-switchboard-attempts").Split(", ");
        attempts[0].ShouldMatch(@"^openai/gpt-4o-mini timeout (\d+)ms$");
        int.Parse(attempts[0].Split(' ')[2].TrimEnd('m', 's'), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(290, 3000);
        response.Attempts()[1].ShouldBe("backup/gpt-4o-mini ok");
    }

    [Fact]
    public async Task After_enough_failures_the_circuit_opens_and_a_half_open_trial_closes_it()
    {
        var time = new ManualTimeProvider();
        await using var host = await StartAsync(resilience: "retries: 0, circuit_breaker: { failure_ratio: 0.5, minimum_requests: 2, sampling_window: 30s, break: 30s }", time: time);
        host.Fake.Enqueue(UpstreamFault.Status(503));
        host.Fake.Enqueue(UpstreamFault.Status(503));

        (await host.PostChatAsync(Body())).Attempts().ShouldBe(["openai/gpt-4o-mini unavailable:503", "backup/gpt-4o-mini ok"]);
        (await host.PostChatAsync(Body())).Attempts().ShouldBe(["openai/gpt-4o-mini unavailable:503", "backup/gpt-4o-mini ok"]);

        // Open: the provider is skipped without being called.
        using var skipped = await host.PostChatAsync(Body());
        skipped.StatusCode.ShouldBe(HttpStatusCode.OK);
        skipped.Attempts().ShouldBe(["openai/gpt-4o-mini circuit_open", "backup/gpt-4o-mini ok"]);
        host.Fake.Requests.Count.ShouldBe(2);
        (await Circuit(host, "openai", "gpt-4o-mini")).ShouldBe("open");

        // After the break, one trial call goes through; it succeeds and closes the circuit.
        time.Advance(TimeSpan.FromSeconds(31));
        using var trial = await host.PostChatAsync(Body());
        trial.Attempts().ShouldBe(["openai/gpt-4o-mini ok"]);
        host.Fake.Requests.Count.ShouldBe(3);
        (await Circuit(host, "openai", "gpt-4o-mini")).ShouldBe("closed");
    }

    [Fact]
    public async Task A_rate_limit_does_not_open_the_circuit()
    {
        await using var host = await StartAsync(resilience: "retries: 0, circuit_breaker: { failure_ratio: 0.5, minimum_requests: 2 }");
        for (var i = 0; i < 4; i++) host.Fake.Enqueue(UpstreamFault.Status(429));

        for (var i = 0; i < 4; i++) (await host.PostChatAsync(Body())).Attempts()[0].ShouldBe("openai/gpt-4o-mini rate_limited:429");

        (await Circuit(host, "openai", "gpt-4o-mini")).ShouldBe("closed");
    }

    [Fact]
    public async Task A_context_window_error_falls_back_to_a_model_with_a_bigger_window()
    {
        await using var host = await StartAsync("  long: { strategy: fallback, targets: [gpt-4o-mini, backup/small-model, backup/big-model] }");
        host.Fake.Enqueue(UpstreamFault.ContextLengthExceeded());

        using var response = await host.PostChatAsync(Body("long"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Attempts().ShouldBe(["openai/gpt-4o-mini context_window_exceeded:400", "backup/big-model ok"]);
        JsonDocument.Parse(_backup.Requests.Single().Body).RootElement.GetProperty("model").GetString().ShouldBe("big-model");
    }

    [Fact]
    public async Task A_stream_that_fails_before_its_first_byte_falls_back()
    {
        await using var host = await StartAsync();
        host.Fake.Enqueue(UpstreamFault.CutStreamAfter(0));

        using var response = await host.PostChatAsync(Body(extra: "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        response.Attempts().ShouldBe(["openai/gpt-4o-mini unavailable", "backup/gpt-4o-mini ok"]);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("data: [DONE]");
        text.ShouldNotContain("\"error\"");
    }

    [Fact]
    public async Task A_stream_that_fails_after_its_first_byte_ends_with_an_error_and_does_not_fall_back()
    {
        await using var host = await StartAsync();
        host.Fake.Enqueue(UpstreamFault.CutStreamAfter(2));

        using var response = await host.PostChatAsync(Body(extra: "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Attempts().ShouldBe(["openai/gpt-4o-mini ok"]);
        var text = await response.Content.ReadAsStringAsync();
        text.ShouldContain("\"error\"");
        text.ShouldNotContain("data: [DONE]");
        _backup.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_target_failing_returns_the_last_error_with_every_attempt()
    {
        await using var host = await StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(503));
        _backup.Enqueue(UpstreamFault.Status(500));

        using var response = await host.PostChatAsync(Body());

        await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.InternalServerError);
        response.Attempts().ShouldBe(["openai/gpt-4o-mini unavailable:503", "backup/gpt-4o-mini unavailable:500"]);
    }

    private static async Task<string> Circuit(GatewayHost host, string provider, string model)
    {
        using var document = JsonDocument.Parse(await host.Http.GetStringAsync("health/providers"));
        var entry = document.RootElement.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == provider);
        return entry.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("model").GetString() == model).GetProperty("circuit").GetString()!;
    }
}
