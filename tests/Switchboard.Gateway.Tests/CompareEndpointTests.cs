using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Catalog;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Gateway.Tests;

public sealed class CompareEndpointTests
{
    /// <summary>A second OpenAI-compatible server (priced nowhere) and a provider nothing listens for.</summary>
    private const string Providers = """
        providers:
          vllm: { type: openai-compatible, base_url: "{other}" }
          down: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
        resilience: { retries: 0 }
        """;

    [Fact]
    public async Task Compare_runs_the_models_in_parallel_so_the_whole_takes_about_the_slowest()
    {
        await using var host = await GatewayHost.StartAsync();
        int[] delays = [400, 800, 1200];
        // Faults are taken in arrival order; whichever model comes first, the three requests wait 400, 800 and 1200 ms.
        foreach (var delay in delays) host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromMilliseconds(delay)));

        var watch = Stopwatch.StartNew();
        var (status, json) = await PostAsync(host, """{"models": ["gpt-4o-mini", "gpt-4.1", "gpt-4o"], "input": "Explain CRDTs in one line."}""");
        watch.Stop();

        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        json.GetProperty("object").GetString().ShouldBe("comparison");
        var total = json.GetProperty("total_ms").GetDouble();
        total.ShouldBeGreaterThanOrEqualTo(delays.Max() - 50);
        // Run one after another they would take the sum, 2400 ms; in parallel the slowest, 1200 ms, and a margin for a busy machine.
        total.ShouldBeLessThan(delays.Sum() - 700);
        watch.ElapsedMilliseconds.ShouldBeLessThan(delays.Sum() - 500);
        host.Fake.Requests.Count.ShouldBe(3);

        var results = json.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("model").GetString()).ShouldBe(["gpt-4o-mini", "gpt-4.1", "gpt-4o"]);
        foreach (var result in results)
        {
            var model = result.GetProperty("model").GetString()!;
            result.GetProperty("provider").GetString().ShouldBe("openai");
            result.GetProperty("answered_model").GetString().ShouldBe(model);
            result.GetProperty("text").GetString().ShouldBe(FakeOpenAIUpstream.CompletionText);
            result.GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
            result.GetProperty("latency_ms").GetDouble().ShouldBeGreaterThanOrEqualTo(delays.Min() - 50);
            var usage = result.GetProperty("usage");
            usage.GetProperty("input_tokens").GetInt32().ShouldBe(FakeOpenAIUpstream.PromptTokens);
            usage.GetProperty("output_tokens").GetInt32().ShouldBe(FakeOpenAIUpstream.CompletionTokens);
            usage.GetProperty("cached_tokens").GetInt32().ShouldBe(FakeOpenAIUpstream.CachedTokens);
            usage.GetProperty("reasoning_tokens").GetInt32().ShouldBe(FakeOpenAIUpstream.ReasoningTokens);
            usage.GetProperty("estimated").GetBoolean().ShouldBeFalse();
            result.GetProperty("cost_usd").GetDecimal().ShouldBe(ExpectedCost(model));
        }
    }

    [Fact]
    public async Task A_failing_model_shows_its_error_while_the_others_answer_and_an_unpriced_one_has_no_cost()
    {
        await using var other = await FakeOpenAIUpstream.StartAsync();
        await using var host = await GatewayHost.StartAsync(Providers.Replace("{other}", other.BaseUrl.ToString(), StringComparison.Ordinal));

        var (status, json) = await PostAsync(host, """{"models": ["gpt-4o-mini", "down/any-model", "vllm/my-model"], "input": "Hi", "system": "Be brief.", "max_tokens": 50, "temperature": 0.5}""");

        status.ShouldBe(HttpStatusCode.OK, json.ToString());
        var results = json.GetProperty("results").EnumerateArray().ToList();
        results[0].GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        results[0].GetProperty("cost_usd").GetDecimal().ShouldBe(ExpectedCost("gpt-4o-mini"));

        var error = results[1].GetProperty("error");
        error.GetProperty("type").GetString().ShouldNotBeNullOrEmpty();
        error.GetProperty("message").GetString().ShouldNotBeNullOrEmpty();
        error.GetProperty("status").GetInt32().ShouldBeGreaterThanOrEqualTo(500);
        results[1].GetProperty("provider").GetString().ShouldBe("down");
        results[1].GetProperty("text").GetString().ShouldBe("");
        results[1].GetProperty("cost_usd").ValueKind.ShouldBe(JsonValueKind.Null);

        results[2].GetProperty("error").ValueKind.ShouldBe(JsonValueKind.Null);
        results[2].GetProperty("provider").GetString().ShouldBe("vllm");
        results[2].GetProperty("usage").GetProperty("input_tokens").GetInt32().ShouldBe(FakeOpenAIUpstream.PromptTokens);
        results[2].GetProperty("cost_usd").ValueKind.ShouldBe(JsonValueKind.Null, "an unknown price is null, never 0");

        // Every model got the same prompt and settings.
        using var sent = host.Fake.Requests.ShouldHaveSingleItem().ParseBody();
        sent.RootElement.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("Be brief.");
        sent.RootElement.GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("Hi");
        sent.RootElement.GetProperty("max_tokens").GetInt32().ShouldBe(50);
        using var sentToOther = other.Requests.ShouldHaveSingleItem().ParseBody();
        sentToOther.RootElement.GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("Hi");
    }

    [Fact]
    public async Task Each_model_of_a_comparison_is_one_request_in_the_usage_log()
    {
        await using var host = await GatewayHost.StartAsync();

        var (status, _) = await PostAsync(host, """{"models": ["gpt-4o-mini", "gpt-4.1"], "messages": [{"role": "user", "content": "Hi"}]}""");

        status.ShouldBe(HttpStatusCode.OK);
        var report = await UsageApi.ReportAsync(host.Http, "group_by=model");
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("model").GetString()).ShouldBe(["gpt-4.1", "gpt-4o-mini"]);
        rows.Select(r => r.GetProperty("requests").GetInt64()).ShouldBe([1L, 1L]);
    }

    [Theory]
    [InlineData("not json", null, "not valid JSON")]
    [InlineData("""["gpt-4o-mini"]""", null, "JSON object")]
    [InlineData("""{"input": "Hi"}""", "models", "models is required")]
    [InlineData("""{"models": "gpt-4o-mini", "input": "Hi"}""", "models", "list of model names")]
    [InlineData("""{"models": [], "input": "Hi"}""", "models", "empty")]
    [InlineData("""{"models": ["gpt-4o-mini", "GPT-4o-mini"], "input": "Hi"}""", "models", "more than once")]
    [InlineData("""{"models": ["a1","a2","a3","a4","a5","a6","a7","a8","a9","a10","a11"], "input": "Hi"}""", "models", "at most 10")]
    [InlineData("""{"models": ["gpt-4o-mini"]}""", "input", "input is required")]
    [InlineData("""{"models": ["gpt-4o-mini"], "input": 3}""", "input", "must be a string")]
    [InlineData("""{"models": ["gpt-4o-mini"], "input": "Hi", "messages": [{"role": "user", "content": "Hi"}]}""", "input", "not both")]
    [InlineData("""{"models": ["gpt-4o-mini"], "messages": []}""", "messages", "non-empty list")]
    [InlineData("""{"models": ["gpt-4o-mini"], "input": "Hi", "max_tokens": 0}""", "max_tokens", "at least 1")]
    [InlineData("""{"models": ["gpt-4o-mini"], "input": "Hi", "temperature": "hot"}""", "temperature", "from 0 to 2")]
    [InlineData("""{"models": ["gpt-4o-mini"], "input": "Hi", "stream": true}""", "stream", "not a field")]
    [InlineData("""{"models": ["gpt-4o-mini", "nosuchvendor-model-x"], "input": "Hi"}""", "models", "nosuchvendor-model-x")]
    public async Task A_bad_body_is_a_400_naming_the_field_and_calls_no_one(string body, string? param, string message)
    {
        await using var host = await GatewayHost.StartAsync();

        var (status, json) = await PostAsync(host, body);

        status.ShouldBe(HttpStatusCode.BadRequest, json.ToString());
        var error = json.GetProperty("error");
        error.GetProperty("message").GetString()!.ShouldContain(message);
        if (param is not null) error.GetProperty("param").GetString().ShouldBe(param);
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_model_whose_key_is_missing_is_a_400_naming_the_variable_before_any_model_is_called()
    {
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_API_KEY"] = null);

        var (status, json) = await PostAsync(host, """{"models": ["gpt-4o-mini"], "input": "Hi"}""");

        status.ShouldBe(HttpStatusCode.BadRequest, json.ToString());
        json.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("OPENAI_API_KEY");
        json.GetProperty("error").GetProperty("code").GetString().ShouldBe("missing_api_key");
        host.Fake.Requests.ShouldBeEmpty();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(GatewayHost host, string body)
    {
        using var response = await host.Http.PostAsync("api/compare", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static decimal ExpectedCost(string model)
    {
        var usage = new TokenUsage(FakeOpenAIUpstream.PromptTokens, FakeOpenAIUpstream.CompletionTokens,
            CachedInput: FakeOpenAIUpstream.CachedTokens, Reasoning: FakeOpenAIUpstream.ReasoningTokens);
        return CostCalculator.Cost(usage, ModelCatalog.Create([]).FindBare(model)).ShouldNotBeNull();
    }
}
