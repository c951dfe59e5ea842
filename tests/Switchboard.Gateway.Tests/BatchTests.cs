using System.Net;
using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Batches: many job requests at once, as JSON or JSON lines, run with bounded concurrency, with progress.</summary>
public sealed class BatchTests
{
    [Fact]
    public async Task A_json_batch_runs_every_request_and_reports_progress_and_results()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostJsonAsync("api/batches", """
            {"requests": [
                {"input": "one", "provider": "openai", "model_name": "gpt-4o-mini", "custom_id": "a"},
                {"input": "two", "provider": "openai", "model_name": "gpt-4.1", "custom_id": "b"}
            ], "concurrency": 1}
            """);
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var done = await host.WaitForBatchAsync((string)accepted["id"]!);
        var jobs = (await host.GetObjectAsync($"api/batches/{accepted["id"]}/jobs"))["data"]!.AsArray();

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        ((string)accepted["id"]!).ShouldStartWith("batch_");
        ((string?)accepted["object"]).ShouldBe("batch");
        ((int)accepted["total"]!).ShouldBe(2);
        ((int)accepted["counts"]!["pending"]!).ShouldBe(2);
        ((string?)done["status"]).ShouldBe("completed");
        ((int)done["counts"]!["succeeded"]!).ShouldBe(2);
        done["finished_at"].ShouldNotBeNull();
        jobs.Select(j => (string?)j!["metadata"]!["custom_id"]).ShouldBe(["a", "b"]);
        jobs.ShouldAllBe(j => (string?)j!["batch_id"] == (string?)accepted["id"] && j["result"] != null);
    }

    [Fact]
    public async Task A_jsonl_batch_takes_job_requests_and_openai_batch_api_lines()
    {
        await using var host = await GatewayHost.StartAsync();
        const string Lines = """
            {"input": "plain", "provider": "openai", "model_name": "gpt-4o-mini"}

            {"custom_id": "req-2", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4.1", "messages": [{"role": "user", "content": "openai style"}], "max_tokens": 50}}
            """;

        using var response = await host.PostJsonAsync("api/batches", Lines, "application/x-ndjson");
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, accepted.ToJsonString());
        await host.WaitForBatchAsync((string)accepted["id"]!);
        var jobs = (await host.GetObjectAsync($"api/batches/{accepted["id"]}/jobs?status=succeeded"))["data"]!.AsArray();

        jobs.Count.ShouldBe(2);
        ((string?)jobs[1]!["model_name"]).ShouldBe("gpt-4.1");
        ((string?)jobs[1]!["metadata"]!["custom_id"]).ShouldBe("req-2");
        var sent = host.Fake.Requests.Select(r => r.ParseBody().RootElement).Single(b => b.GetProperty("model").GetString() == "gpt-4.1");
        sent.GetProperty("max_tokens").GetInt32().ShouldBe(50);
    }

    [Fact]
    public async Task A_bad_line_is_a_400_naming_its_number_and_nothing_is_stored()
    {
        await using var host = await GatewayHost.StartAsync();
        const string Lines = """
            {"input": "fine", "provider": "openai", "model_name": "gpt-4o-mini"}
            {"input": "typo", "provider": "openai", "model_name": "gpt-4o-mini", "temprature": 1}
            """;

        using var response = await host.PostJsonAsync("api/batches", Lines, "application/jsonl");
        using var broken = await host.PostJsonAsync("api/batches", "{\"input\": \"a\", \"provider\": \"openai\", \"model_name\": \"gpt-4o-mini\"}\n{nope", "application/jsonl");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldStartWith("line 2: ");
        error.Message.ShouldContain("did you mean 'temperature'");
        (await broken.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest)).Message.ShouldStartWith("line 2 is not valid JSON");
        (await host.GetObjectAsync("api/jobs"))["data"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("jobs: { provider_concurrency: 2 }", null, 2)]
    [InlineData("jobs: { provider_concurrency: 3 }", 1, 1)]
    public async Task No_more_requests_reach_a_provider_at_once_than_the_bound(string yaml, int? batchConcurrency, int bound)
    {
        await using var upstream = await LoopbackServer.SlowOpenAIAsync(TimeSpan.FromMilliseconds(150));
        await using var host = await GatewayHost.StartAsync(yaml, env => env["OPENAI_BASE_URL"] = upstream.Url + "v1");
        var requests = string.Join(", ", Enumerable.Range(0, 8).Select(i => $$"""{"input": "item {{i}}", "provider": "openai", "model_name": "gpt-4o-mini"}"""));

        using var response = await host.PostJsonAsync("api/batches", $$"""{"requests": [{{requests}}], "concurrency": {{(batchConcurrency?.ToString() ?? "null")}}}""");
        var accepted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var done = await host.WaitForBatchAsync((string)accepted["id"]!);

        ((int)done["counts"]!["succeeded"]!).ShouldBe(8, done.ToJsonString());
        upstream.Received.Count.ShouldBe(8);
        upstream.MaxInFlight.ShouldBeLessThanOrEqualTo(bound);
        upstream.MaxInFlight.ShouldBeGreaterThanOrEqualTo(1);
    }

    [Fact]
    public async Task Cancelling_a_batch_cancels_its_unfinished_jobs()
    {
        await using var upstream = await LoopbackServer.SlowOpenAIAsync(TimeSpan.FromMinutes(10));
        await using var host = await GatewayHost.StartAsync("resilience: { timeout: 5m, response_timeout: 5m, total_timeout: 10m, retries: 0 }",
            env => env["OPENAI_BASE_URL"] = upstream.Url + "v1");
        var requests = string.Join(", ", Enumerable.Range(0, 3).Select(i => $$"""{"input": "item {{i}}", "provider": "openai", "model_name": "gpt-4o-mini"}"""));
        using var response = await host.PostJsonAsync("api/batches", $$"""{"requests": [{{requests}}], "concurrency": 1}""");
        var id = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (upstream.Received.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(20);

        using var cancel = await host.Http.PostAsync($"api/batches/{id}/cancel", null);
        var batch = JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!;

        cancel.StatusCode.ShouldBe(HttpStatusCode.OK);
        ((string?)batch["status"]).ShouldBe("cancelled");
        ((int)batch["counts"]!["cancelled"]!).ShouldBe(3);
        using var missing = await host.Http.GetAsync("api/batches/batch_nothing");
        (await missing.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound)).Code.ShouldBe("batch_not_found");
    }
}
