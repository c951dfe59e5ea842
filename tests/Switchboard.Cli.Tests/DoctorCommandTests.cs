using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class DoctorCommandTests : IDisposable
{
    private const string Key = "sk-test-0123456789abcdef";

    // Nothing listens on port 1, so a connection there is refused at once, without the network.
    private const string Unreachable = "http://127.0.0.1:1";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Doctor_with_no_keys_prints_the_export_commands_and_exits_4()
    {
        var result = await _cli.RunAsync("doctor");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Output.ShouldContain("No provider is set up");
        result.Output.ShouldContain("export OPENAI_API_KEY=sk-...");
        result.Output.ShouldContain("export ANTHROPIC_API_KEY=sk-ant-...");
        result.Output.ShouldContain("export GROQ_API_KEY=gsk_...");
    }

    [Fact]
    public async Task Doctor_with_a_gateway_shows_the_health_the_gateway_has_seen()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = Key;
        _cli.Variables["OPENAI_BASE_URL"] = fake.BaseUrl.ToString();
        var environment = new Dictionary<string, string?>(_cli.Variables);
        await using var gateway = Gateway.SwitchboardGateway.Build(Configuration.ConfigLoader.Parse("resilience: { retries: 0 }", "test.yaml", environment.GetValueOrDefault),
            new Gateway.GatewayHostOptions { Port = 0, Environment = environment.GetValueOrDefault, ConsoleLogging = false, Storage = "none" });
        await gateway.StartAsync();
        var url = new Uri(gateway.Urls.First());
        using var http = new HttpClient { BaseAddress = url };
        for (var i = 0; i < 3; i++) fake.Enqueue(UpstreamFault.Status(503));
        for (var i = 0; i < 3; i++)
            (await http.PostAsync("v1/chat/completions", new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);

        var result = await _cli.RunAsync("doctor", "--gateway", url.ToString());

        result.Output.ShouldContain("Health");
        Row(result.Output, "openai").ShouldContain("down (3 recent calls)");
        await gateway.StopAsync();
    }

    [Fact]
    public async Task Doctor_with_a_gateway_that_is_not_running_says_so_and_exits_2()
    {
        _cli.Variables["OPENAI_API_KEY"] = Key;

        var result = await _cli.RunAsync("doctor", "--gateway", Unreachable);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ToString().ShouldContain($"Could not read the health of the gateway at {Unreachable}/");
    }

    [Fact]
    public async Task Doctor_with_the_key_set_and_the_base_url_answering_exits_0()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = Key;
        _cli.Variables["OPENAI_BASE_URL"] = fake.BaseUrl.ToString();

        var result = await _cli.RunAsync("doctor");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("OPENAI_API_KEY is set");
        result.Output.ShouldContain(fake.BaseUrl.ToString());
        result.Output.ShouldContain("answers (HTTP");
        result.Output.ShouldNotContain("does not answer");
        result.Output.ShouldContain("Ready");
        result.All.ShouldNotContain(Key);
        // Asking whether the server is there never sends the key.
        fake.Requests.ShouldAllBe(r => !r.Headers.ContainsKey("authorization"));
    }

    [Fact]
    public async Task Doctor_for_a_model_whose_base_url_does_not_answer_says_so_and_exits_4()
    {
        _cli.Variables["OPENAI_API_KEY"] = Key;
        _cli.Variables["OPENAI_BASE_URL"] = Unreachable;

        var result = await _cli.RunAsync("doctor", "gpt-4o");

        result.ExitCode.ShouldBe(4, result.ToString());
        var row = Row(result.Output, "gpt-4o");
        row.ShouldContain("openai");
        row.ShouldContain("catalog");
        row.ShouldContain("OPENAI_API_KEY is set");
        row.ShouldContain("does not answer");
        result.Output.ShouldContain("OPENAI_BASE_URL");
        result.All.ShouldNotContain(Key);
    }

    [Fact]
    public async Task Doctor_for_a_model_without_its_key_prints_the_export_command_and_exits_4()
    {
        _cli.Variables["ANTHROPIC_BASE_URL"] = Unreachable;

        var result = await _cli.RunAsync("doctor", "claude-sonnet-4-5");

        result.ExitCode.ShouldBe(4, result.ToString());
        Row(result.Output, "claude-sonnet-4-5").ShouldContain("ANTHROPIC_API_KEY is not set");
        result.Output.ShouldContain("export ANTHROPIC_API_KEY=sk-ant-...");
    }

    [Theory]
    [InlineData("gpt-4o-mini", "catalog")]
    [InlineData("gpt-9-preview", "pattern")]
    [InlineData("openai/house-model-7", "prefix")]
    [InlineData("fast", "alias fast → catalog")]
    public async Task Doctor_says_how_the_provider_was_detected(string model, string foundBy)
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = Key;
        _cli.Variables["OPENAI_BASE_URL"] = fake.BaseUrl.ToString();
        _cli.WriteFile("switchboard.yaml", "aliases:\n  fast: gpt-4o-mini\n");

        var result = await _cli.RunAsync("doctor", model);

        result.ExitCode.ShouldBe(0, result.ToString());
        var row = Row(result.Output, model);
        row.ShouldContain("openai");
        row.ShouldContain(foundBy);
    }

    [Fact]
    public async Task Doctor_for_an_unknown_model_says_how_to_name_one_and_exits_4()
    {
        var result = await _cli.RunAsync("doctor", "no-such-model");

        result.ExitCode.ShouldBe(4, result.ToString());
        result.Output.ShouldContain("Unknown model 'no-such-model'");
    }

    [Fact]
    public async Task Doctor_checks_every_model_named_and_fails_when_any_is_not_ready()
    {
        await using var fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = Key;
        _cli.Variables["OPENAI_BASE_URL"] = fake.BaseUrl.ToString();
        _cli.WriteFile("switchboard.yaml", $"providers:\n  groq: {{ base_url: {Unreachable} }}\n");

        var result = await _cli.RunAsync("doctor", "gpt-4o", "groq/llama-3.3-70b-versatile");

        result.ExitCode.ShouldBe(4, result.ToString());
        Row(result.Output, "gpt-4o").ShouldContain("answers (HTTP");
        Row(result.Output, "groq/llama-3.3-70b-versatile").ShouldContain("GROQ_API_KEY is not set");
        result.Output.ShouldContain("export GROQ_API_KEY=gsk_...");
        result.Output.ShouldContain("Not ready: 1 of 2.");
    }

    /// <summary>The table row whose first cell is <paramref name="first"/>.</summary>
    private static string Row(string output, string first) =>
        output.Split('\n').Single(line => line.StartsWith($"│ {first} ", StringComparison.Ordinal));
}
