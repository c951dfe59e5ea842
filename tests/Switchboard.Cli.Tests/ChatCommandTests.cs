using Shouldly;
using Switchboard.Catalog;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class ChatCommandTests : IAsyncLifetime, IDisposable
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
    public async Task Chat_prints_the_answer_then_provider_model_tokens_and_cost()
    {
        var result = await _cli.RunAsync("chat", "Say", "hello");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldBe(FakeOpenAIUpstream.CompletionText + Environment.NewLine);
        result.Errors.ShouldContain("openai/gpt-4o-mini");
        result.Errors.ShouldContain(
            $"tokens: {FakeOpenAIUpstream.PromptTokens} input, {FakeOpenAIUpstream.CachedTokens} cached, " +
            $"{FakeOpenAIUpstream.CompletionTokens} output, {FakeOpenAIUpstream.ReasoningTokens} reasoning");
        result.Errors.ShouldContain("cost " + ExpectedCost("gpt-4o-mini"));
        result.All.ShouldNotContain(Key);

        var request = _fake.Requests.ShouldHaveSingleItem();
        using var body = request.ParseBody();
        body.RootElement.GetProperty("model").GetString().ShouldBe("gpt-4o-mini");
        body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("Say hello");
    }

    [Fact]
    public async Task Chat_stream_prints_the_text_as_it_arrives_and_the_usage_at_the_end()
    {
        var result = await _cli.RunAsync("chat", "--stream", "Say hello");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldBe(FakeOpenAIUpstream.StreamText + Environment.NewLine);
        result.Errors.ShouldContain($"{FakeOpenAIUpstream.PromptTokens} input");
        result.Errors.ShouldContain("cost " + ExpectedCost("gpt-4o-mini"));
        using var body = _fake.Requests.ShouldHaveSingleItem().ParseBody();
        body.RootElement.GetProperty("stream").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Chat_stream_that_breaks_off_keeps_what_arrived_and_exits_4()
    {
        _fake.Enqueue(UpstreamFault.CutStreamAfter(3));

        var result = await _cli.RunAsync("chat", "--stream", "Say hello");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Output.ShouldStartWith(FakeOpenAIUpstream.StreamTextDeltas[0]);
        result.Output.ShouldEndWith(Environment.NewLine);
        result.Errors.ShouldContain("stream");
        result.All.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Chat_reads_the_prompt_from_stdin_when_none_is_given()
    {
        _cli.Stdin = "What is a gateway?\n";

        var result = await _cli.RunAsync("chat");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain(FakeOpenAIUpstream.CompletionText);
        using var body = _fake.Requests.ShouldHaveSingleItem().ParseBody();
        body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("What is a gateway?");
    }

    [Fact]
    public async Task Chat_sends_the_system_prompt_and_sampling_options()
    {
        var result = await _cli.RunAsync("chat", "-m", "gpt-4o", "--system", "Be brief.", "--temperature", "0.2", "--top-p", "0.9", "--max-tokens", "50", "hi");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Errors.ShouldContain("openai/gpt-4o ");
        using var body = _fake.Requests.ShouldHaveSingleItem().ParseBody();
        var root = body.RootElement;
        root.GetProperty("model").GetString().ShouldBe("gpt-4o");
        root.GetProperty("messages")[0].GetProperty("role").GetString().ShouldBe("system");
        root.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("Be brief.");
        root.GetProperty("messages")[1].GetProperty("content").GetString().ShouldBe("hi");
        root.GetProperty("temperature").GetDouble().ShouldBe(0.2);
        root.GetProperty("top_p").GetDouble().ShouldBe(0.9);
        root.GetProperty("max_tokens").GetInt32().ShouldBe(50);
    }

    [Fact]
    public async Task Chat_says_cost_unknown_when_the_catalog_has_no_price()
    {
        var result = await _cli.RunAsync("chat", "--model", "openai/house-model-7", "hi");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Errors.ShouldContain("openai/house-model-7");
        result.Errors.ShouldContain("cost unknown");
        result.Errors.ShouldNotContain("$");
    }

    [Fact]
    public async Task Chat_without_the_key_exits_4_with_the_export_command()
    {
        _cli.Variables.Remove("OPENAI_API_KEY");

        var result = await _cli.RunAsync("chat", "hello");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Errors.ShouldContain("Missing OPENAI_API_KEY for model gpt-4o-mini. Set it: export OPENAI_API_KEY=sk-...");
        result.Errors.ShouldContain("--model");
        result.All.ShouldNotContain("   at ");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Chat_with_a_failing_provider_exits_4_with_its_message_and_no_stack_trace()
    {
        // The first call and both retries fail.
        for (var i = 0; i < 3; i++) _fake.Enqueue(UpstreamFault.Status(500));

        var result = await _cli.RunAsync("chat", "hello");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Errors.ShouldNotBeEmpty();
        result.All.ShouldNotContain("   at ");
        result.All.ShouldNotContain(Key);
    }

    [Fact]
    public async Task Chat_for_an_unknown_model_exits_4_saying_how_to_name_one()
    {
        var result = await _cli.RunAsync("chat", "--model", "no-such-model", "hello");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Errors.ShouldContain("Unknown model 'no-such-model'");
    }

    [Fact]
    public async Task Chat_without_a_prompt_on_a_terminal_is_a_usage_error()
    {
        var result = await _cli.RunAsync("chat");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("Give a prompt");
        _fake.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--temperature", "3")]
    [InlineData("--top-p", "1.5")]
    [InlineData("--max-tokens", "0")]
    [InlineData("--max-tokens", "many")]
    public async Task Chat_refuses_an_out_of_range_option_as_a_usage_error(string option, string value)
    {
        var result = await _cli.RunAsync("chat", option, value, "hello");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain(option);
        _fake.Requests.ShouldBeEmpty();
    }

    private static string ExpectedCost(string model)
    {
        var usage = new TokenUsage(FakeOpenAIUpstream.PromptTokens, FakeOpenAIUpstream.CompletionTokens,
            CachedInput: FakeOpenAIUpstream.CachedTokens, Reasoning: FakeOpenAIUpstream.ReasoningTokens);
        return Format.Cost(CostCalculator.Cost(usage, ModelCatalog.Create([]).FindBare(model)).ShouldNotBeNull());
    }
}
