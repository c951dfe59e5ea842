using System.Text.Json;
using Shouldly;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class RouteCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public RouteCommandTests()
    {
        _cli.Variables["OPENAI_API_KEY"] = "sk-test";
        _cli.Variables["GROQ_API_KEY"] = "gsk-test";
        _cli.WriteFile("switchboard.yaml", """
            routes:
              smart: { strategy: fallback, targets: [groq/llama-3.3-70b-versatile, claude-sonnet-4-5, gpt-4.1] }
            agents:
              pricing: [gpt-4.1]
            """);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Explain_prints_the_candidates_in_order_and_what_was_skipped_and_why()
    {
        var result = await _cli.RunAsync("route", "--explain", "--model", "smart", "Summarise this paragraph.");

        result.ExitCode.ShouldBe(0, result.ToString());
        var output = result.Output.ToString();
        output.ShouldContain("smart → smart");
        output.IndexOf("groq/llama-3.3-70b-versatile", StringComparison.Ordinal).ShouldBeLessThan(output.IndexOf("openai/gpt-4.1", StringComparison.Ordinal));
        output.ShouldContain("anthropic/claude-sonnet-4-5");
        output.ShouldContain("no key: ANTHROPIC_API_KEY not set");
        output.ShouldContain("complexity");
    }

    [Fact]
    public async Task Metadata_on_the_command_line_is_read_as_the_request_would_send_it()
    {
        var result = await _cli.RunAsync("route", "--explain", "--model", "gpt-4o-mini", "-d", "agent=pricing", "--json", "hello");

        result.ExitCode.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Output.ToString());
        json.RootElement.GetProperty("route").GetString().ShouldBe("agent:pricing");
        json.RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("model").GetString()).ShouldBe(["gpt-4.1", "gpt-4o-mini"]);
    }

    [Fact]
    public async Task A_metadata_value_without_equals_is_a_usage_error()
    {
        var result = await _cli.RunAsync("route", "--model", "smart", "-d", "urgent");

        result.ExitCode.ShouldBe(2);
        result.Errors.ToString().ShouldContain("--metadata takes key=value, such as priority=0 or agent=pricing, not 'urgent'.");
    }

    [Fact]
    public async Task An_unknown_name_exits_4_with_the_resolvers_message()
    {
        var result = await _cli.RunAsync("route", "--model", "no-such-model");

        result.ExitCode.ShouldBe(4);
        result.Errors.ToString().ShouldContain("Unknown model 'no-such-model'");
    }
}
