using System.Text.Json;
using Shouldly;
using Switchboard.Catalog;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class CompareCommandTests : IAsyncLifetime, IDisposable
{
    private const string Key = "sk-test-0123456789abcdef";

    private readonly CliHarness _cli = new();
    private FakeOpenAIUpstream _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = Key;
        _cli.Variables["OPENAI_BASE_URL"] = _fake.BaseUrl.ToString();
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Compare_prints_a_row_per_model_then_each_answer()
    {
        var result = await _cli.RunAsync("compare", "--models", "gpt-4o-mini,gpt-4.1", "Say", "hello");

        result.ExitCode.ShouldBe(0, result.ToString());
        var rows = result.Output.Split('\n');
        var mini = rows.Single(l => l.Contains("openai/gpt-4o-mini"));
        mini.ShouldContain(Format.Count(FakeOpenAIUpstream.PromptTokens));
        mini.ShouldContain(ExpectedCost("gpt-4o-mini"));
        rows.Single(l => l.Contains("openai/gpt-4.1")).ShouldContain(ExpectedCost("gpt-4.1"));
        result.Output.ShouldContain("2 models in");
        result.Output.Split(FakeOpenAIUpstream.CompletionText).Length.ShouldBe(3, "each answer is printed under its model");
        result.All.ShouldNotContain(Key);
        _fake.Requests.Count.ShouldBe(2);
        _fake.Requests.ShouldAllBe(r => r.ParseBody().RootElement.GetProperty("messages")[0].GetProperty("content").GetString() == "Say hello");
    }

    [Fact]
    public async Task Compare_json_prints_what_the_api_answers()
    {
        _cli.Stdin = "What is a gateway?\n";

        var result = await _cli.RunAsync("compare", "--models", "gpt-4o-mini, gpt-4.1", "--json", "--system", "Be brief.", "--max-tokens", "20");

        result.ExitCode.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        json.RootElement.GetProperty("object").GetString().ShouldBe("comparison");
        var results = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Select(r => r.GetProperty("model").GetString()).ShouldBe(["gpt-4o-mini", "gpt-4.1"]);
        results[0].GetProperty("usage").GetProperty("output_tokens").GetInt32().ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        results[0].GetProperty("text").GetString().ShouldBe(FakeOpenAIUpstream.CompletionText);
        using var sent = _fake.Requests[0].ParseBody();
        sent.RootElement.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("Be brief.");
        sent.RootElement.GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("What is a gateway?");
        sent.RootElement.GetProperty("max_tokens").GetInt32().ShouldBe(20);
    }

    [Fact]
    public async Task Compare_exits_0_when_one_model_fails_and_4_when_all_do()
    {
        _fake.Enqueue(UpstreamFault.Status(400));

        var some = await _cli.RunAsync("compare", "--models", "gpt-4o-mini,gpt-4.1", "Hi");

        some.ExitCode.ShouldBe(0, some.ToString());
        some.Output.ShouldContain("failed");

        _fake.Enqueue(UpstreamFault.Status(400));
        _fake.Enqueue(UpstreamFault.Status(400));

        var all = await _cli.RunAsync("compare", "--models", "gpt-4o-mini,gpt-4.1", "Hi");

        all.ExitCode.ShouldBe(4, all.ToString());
        all.All.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_model_named_twice_is_a_usage_error_and_a_missing_key_exits_4_before_any_call()
    {
        var twice = await _cli.RunAsync("compare", "--models", "gpt-4o-mini,gpt-4o-mini", "Hi");
        _cli.Variables.Remove("OPENAI_API_KEY");
        var keyless = await _cli.RunAsync("compare", "--models", "gpt-4o-mini", "Hi");

        twice.ExitCode.ShouldBe(2, twice.ToString());
        twice.Errors.ShouldContain("--models names gpt-4o-mini more than once");
        keyless.ExitCode.ShouldBe(4, keyless.ToString());
        keyless.Errors.ShouldContain("OPENAI_API_KEY");
        _fake.Requests.ShouldBeEmpty();
    }

    private static string ExpectedCost(string model)
    {
        var usage = new TokenUsage(FakeOpenAIUpstream.PromptTokens, FakeOpenAIUpstream.CompletionTokens,
            CachedInput: FakeOpenAIUpstream.CachedTokens, Reasoning: FakeOpenAIUpstream.ReasoningTokens);
        return Format.Cost(CostCalculator.Cost(usage, ModelCatalog.Create([]).FindBare(model)).ShouldNotBeNull());
    }
}
