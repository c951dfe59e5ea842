using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Configuration;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Jobs through a real gateway: submitted, run by its workers through the router, read back, cancelled.</summary>
public sealed class JobTests
{
    /// <summary>Long enough that a held upstream call is never cut off by the gateway's own timeouts.</summary>
    private const string Patient = "resilience: { timeout: 5m, response_timeout: 5m, total_timeout: 10m, retries: 0 }\n";

    [Fact]
    public async Task A_submitted_job_runs_and_keeps_its_answer_tokens_and_cost()
    {
        await using var host = await GatewayHost.StartAsync();

        var submitted = await host.SubmitAsync("""{"input": "Summarise the report", "system": "Be brief", "provider": "openai", "model_name": "gpt-4o-mini", "metadata": {"team": "search"}}""");
        var job = await host.WaitAsync((string)submitted["id"]!);

        ((string)submitted["id"]!).ShouldStartWith("job_");
        ((string)submitted["id"]!).Length.ShouldBe(4 + 26);
        ((string?)submitted["status"]).ShouldBe("pending");
        ((string?)job["status"]).ShouldBe("succeeded", job.ToJsonString());
        ((string?)job["provider"]).ShouldBe("openai");
        ((string?)job["model_name"]).ShouldBe("gpt-4o-mini");
        ((string?)job["metadata"]!["team"]).ShouldBe("search");
        ((int)job["attempts"]!).ShouldBe(1);
        job["started_at"].ShouldNotBeNull();
        job["finished_at"].ShouldNotBeNull();
        var result = job["result"]!;
        ((string?)result["text"]).ShouldBe(FakeOpenAIUpstream.CompletionText);
        ((string?)result["provider"]).ShouldBe("openai");
        ((int)result["usage"]!["input_tokens"]!).ShouldBe(FakeOpenAIUpstream.PromptTokens);
        ((int)result["usage"]!["output_tokens"]!).ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        ((decimal)result["cost_usd"]!).ShouldBeGreaterThan(0);
        ((string?)result["response"]!["object"]).ShouldBe("chat.completion");
        job["error"].ShouldBeNull();

        var sent = host.Fake.Requests.ShouldHaveSingleItem().ParseBody().RootElement;
        sent.GetProperty("model").GetString().ShouldBe("gpt-4o-mini");
        sent.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("Be brief");
        sent.GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("Summarise the report");
    }

    [Fact]
    public async Task Provider_and_model_default_from_the_config()
    {
        await using var host = await GatewayHost.StartAsync("jobs: { provider: openai, model_name: gpt-4.1 }");

        var job = await host.WaitAsync((string)(await host.SubmitAsync("""{"messages": [{"role": "user", "content": "Hi"}]}"""))["id"]!);

        ((string?)job["status"]).ShouldBe("succeeded");
        ((string?)job["model_name"]).ShouldBe("gpt-4.1");
        host.Fake.Requests.ShouldHaveSingleItem().ParseBody().RootElement.GetProperty("model").GetString().ShouldBe("gpt-4.1");
    }

    [Fact]
    public void A_default_provider_the_config_does_not_have_stops_the_gateway_from_starting()
    {
        var env = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = GatewayHost.OpenAIKey };

        var error = Should.Throw<ConfigException>(() => GatewayHost.Build("jobs: { provider: opneai, model_name: gpt-4o-mini }", env));

        error.Message.ShouldContain("did you mean 'openai'");
    }

    [Fact]
    public async Task An_unknown_provider_is_a_400_that_lists_the_providers()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostJsonAsync("api/jobs", """{"input": "Hi", "provider": "opneai", "model_name": "gpt-4o-mini"}""");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldContain("unknown provider 'opneai'");
        error.Message.ShouldContain("did you mean 'openai'");
        error.Message.ShouldContain("anthropic");
        error.Param.ShouldBe("provider");
    }

    [Fact]
    public async Task A_model_the_provider_does_not_serve_is_a_400_naming_what_it_serves()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostJsonAsync("api/jobs", """{"input": "Hi", "provider": "openai", "model_name": "claude-sonnet-4-5"}""");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldContain("provider openai does not serve model 'claude-sonnet-4-5'");
        error.Message.ShouldContain("gpt-4o-mini");
        error.Param.ShouldBe("model_name");
    }

    [Fact]
    public async Task A_provider_without_its_key_is_a_400_naming_the_variable()
    {
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_API_KEY"] = null);

        using var response = await host.PostJsonAsync("api/jobs", """{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini"}""");

        (await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest)).Message.ShouldContain("OPENAI_API_KEY");
    }

    [Theory]
    [InlineData("""{"input": "Hi", """, "not valid JSON", null)]
    [InlineData("""{"provider": "openai", "model_name": "gpt-4o-mini"}""", "needs input", "input")]
    [InlineData("""{"input": 5, "provider": "openai", "model_name": "gpt-4o-mini"}""", "input must be a string", "input")]
    [InlineData("""{"input": "Hi", "route": "smart", "provider": "openai"}""", "not both", "route")]
    [InlineData("""{"input": "Hi", "route": "nowhere"}""", "unknown route 'nowhere'", "route")]
    [InlineData("""{"input": "Hi"}""", "needs a provider and model_name, or a route", "provider")]
    [InlineData("""{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini", "webhook": "ftp://x"}""", "webhook must be an http", "webhook")]
    [InlineData("""{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini", "metdata": {}}""", "did you mean 'metadata'", "metdata")]
    [InlineData("""{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini", "max_tokens": 0}""", "max_tokens must be", "max_tokens")]
    public async Task A_bad_submission_is_a_400_naming_the_field(string body, string message, string? param)
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostJsonAsync("api/jobs", body);

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldContain(message);
        error.Param.ShouldBe(param);
        (await host.GetObjectAsync("api/jobs"))["data"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_and_filtered_by_status_and_model()
    {
        await using var host = await GatewayHost.StartAsync();
        var first = await host.WaitAsync((string)(await host.SubmitAsync("""{"input": "a", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!);
        var second = await host.WaitAsync((string)(await host.SubmitAsync("""{"input": "b", "provider": "openai", "model_name": "gpt-4.1"}"""))["id"]!);

        var all = (await host.GetObjectAsync("api/jobs"))["data"]!.AsArray();
        var byModel = (await host.GetObjectAsync("api/jobs?model=gpt-4.1&status=succeeded"))["data"]!.AsArray();
        var none = (await host.GetObjectAsync("api/jobs?status=pending"))["data"]!.AsArray();
        using var bad = await host.Http.GetAsync("api/jobs?status=done");

        all.Select(j => (string?)j!["id"]).ShouldBe([(string?)second["id"], (string?)first["id"]]);
        ((string?)byModel.ShouldHaveSingleItem()!["id"]).ShouldBe((string?)second["id"]);
        none.ShouldBeEmpty();
        (await bad.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest)).Message.ShouldContain("pending, running, succeeded, failed, cancelled");
        using var missing = await host.Http.GetAsync("api/jobs/job_nothing");
        (await missing.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound)).Code.ShouldBe("job_not_found");
    }

    [Fact]
    public async Task Cancelling_ends_a_pending_job_and_stops_a_running_one_at_once()
    {
        await using var host = await GatewayHost.StartAsync(Patient + "jobs: { workers: 1 }");
        host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromMinutes(10)));
        var running = (string)(await host.SubmitAsync("""{"input": "slow", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!;
        await host.WaitAsync(running, job => (string?)job["status"] == "running" && host.Fake.Requests.Count == 1);
        var pending = (string)(await host.SubmitAsync("""{"input": "waiting", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!;

        using var cancelPending = await host.Http.PostAsync($"api/jobs/{pending}/cancel", null);
        using var cancelRunning = await host.Http.PostAsync($"api/jobs/{running}/cancel", null);

        cancelPending.StatusCode.ShouldBe(HttpStatusCode.OK);
        cancelRunning.StatusCode.ShouldBe(HttpStatusCode.OK);
        ((string?)JsonNode.Parse(await cancelRunning.Content.ReadAsStringAsync())!["status"]).ShouldBe("cancelled");
        // The worker's slot comes free: the next job runs although the cancelled one would have held the upstream for minutes.
        var next = await host.WaitAsync((string)(await host.SubmitAsync("""{"input": "after", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!);
        ((string?)next["status"]).ShouldBe("succeeded");
        ((string?)(await host.GetObjectAsync("api/jobs/" + running))["status"]).ShouldBe("cancelled");
        ((string?)(await host.GetObjectAsync("api/jobs/" + pending))["status"]).ShouldBe("cancelled");
        host.Fake.Requests.Count.ShouldBe(2); // the held one and "after"; the pending one never ran

        using var again = await host.Http.PostAsync($"api/jobs/{next["id"]}/cancel", null);
        (await again.ShouldBeOpenAIErrorAsync(HttpStatusCode.Conflict)).Message.ShouldContain("already finished (succeeded)");
    }

    [Fact]
    public async Task A_job_sent_to_a_route_falls_back_when_the_first_target_fails()
    {
        await using var host = await GatewayHost.StartAsync("""
            resilience: { retries: 0 }
            routes: { smart: { strategy: fallback, targets: [openai/gpt-4o-mini, openai/gpt-4.1] } }
            """);
        host.Fake.Enqueue(UpstreamFault.Status(503));

        var job = await host.WaitAsync((string)(await host.SubmitAsync("""{"input": "Hi", "route": "smart"}"""))["id"]!);

        ((string?)job["status"]).ShouldBe("succeeded", job.ToJsonString());
        ((string?)job["route"]).ShouldBe("smart");
        job["provider"].ShouldBeNull();
        ((string?)job["result"]!["model"]).ShouldBe("gpt-4.1");
        ((string)job["result"]!["attempts"]!).ShouldContain("503");
        host.Fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_job_whose_every_target_fails_keeps_the_error()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { retries: 0 }");
        host.Fake.Enqueue(UpstreamFault.Status(400, body: """{"error": {"message": "bad thing", "type": "invalid_request_error"}}"""));

        var job = await host.WaitAsync((string)(await host.SubmitAsync("""{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!);

        ((string?)job["status"]).ShouldBe("failed");
        ((int)job["error"]!["status"]!).ShouldBe(400);
        ((string?)job["error"]!["type"]).ShouldBe("invalid_request_error");
        job["result"].ShouldBeNull();
    }

    [Fact]
    public async Task A_finished_job_is_posted_to_its_webhook_with_a_valid_signature()
    {
        const string Secret = "whsec-test-123";
        await using var receiver = await LoopbackServer.WebhookReceiverAsync();
        await using var host = await GatewayHost.StartAsync("jobs: { webhook_secret: env:JOBS_WEBHOOK_SECRET }", env => env["JOBS_WEBHOOK_SECRET"] = Secret);

        var id = (string)(await host.SubmitAsync($$"""{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini", "webhook": "{{receiver.Url}}hook?token=abc"}"""))["id"]!;
        await host.WaitAsync(id);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (receiver.Received.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20);

        var (headers, body) = receiver.Received.ShouldHaveSingleItem();
        var posted = JsonNode.Parse(body)!;
        ((string?)posted["id"]).ShouldBe(id);
        ((string?)posted["status"]).ShouldBe("succeeded");
        headers["x-switchboard-signature"].ShouldBe("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), body)));
    }

    [Fact]
    public async Task Without_a_store_the_jobs_api_says_jobs_need_one()
    {
        await using var host = await GatewayHost.StartAsync(storage: "none");

        using var response = await host.PostJsonAsync("api/jobs", """{"input": "Hi", "provider": "openai", "model_name": "gpt-4o-mini"}""");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.ServiceUnavailable);
        error.Message.ShouldContain("storage: none");
    }

    [Fact]
    public async Task A_virtual_key_may_not_use_the_jobs_api()
    {
        await using var host = await GatewayHost.StartAsync("server: { master_key: env:SWITCHBOARD_MASTER_KEY }", env => env["SWITCHBOARD_MASTER_KEY"] = "sb-master-0123456789");
        var key = await host.Store.CreateKeyAsync(new Storage.VirtualKeyOptions());
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/jobs") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key.Key) } };

        using var response = await host.Http.SendAsync(request);

        (await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Forbidden)).Code.ShouldBe("master_key_required");
    }
}
