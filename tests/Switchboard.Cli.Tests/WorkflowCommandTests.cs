using System.Text.Json;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class WorkflowCommandTests : IAsyncLifetime, IDisposable
{
    private const string Config = """
        workflows:
          standard:
            plan: gpt-4o-mini
            implement: { model: gpt-4.1, prompt: "Implement the plan in C#." }
            review: gpt-4o
        """;

    private const string Task = "Add a retry to the HTTP client.";

    private readonly CliHarness _cli = new();
    private FakeOpenAIUpstream _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = "sk-test-0123456789abcdef";
        _cli.Variables["OPENAI_BASE_URL"] = _fake.BaseUrl.ToString();
        _cli.WriteFile("switchboard.yaml", Config);
        _cli.WriteFile("task.md", Task + "\n");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Each_stage_runs_on_its_configured_model_and_gets_the_previous_stages_output()
    {
        var result = await _cli.RunAsync("workflow", "run", "standard", "--input", "task.md");

        result.ExitCode.ShouldBe(0, result.ToString());
        _fake.Requests.Count.ShouldBe(3);
        var sent = _fake.Requests.Select(r => r.ParseBody().RootElement).ToList();
        sent.Select(b => b.GetProperty("model").GetString()).ShouldBe(["gpt-4o-mini", "gpt-4.1", "gpt-4o"]);

        string System(int i) => sent[i].GetProperty("messages")[0].GetProperty("content").GetString()!;
        string User(int i) => sent[i].GetProperty("messages")[1].GetProperty("content").GetString()!;
        System(0).ShouldContain("plan stage");
        System(1).ShouldBe("Implement the plan in C#.");
        User(0).ShouldBe(Task);
        User(1).ShouldBe($"## Output of the plan stage\n\n{FakeOpenAIUpstream.CompletionText}\n\n## Original input\n\n{Task}");
        User(2).ShouldStartWith("## Output of the implement stage\n\n" + FakeOpenAIUpstream.CompletionText);

        var rows = result.Output.Split('\n');
        rows.Single(l => l.Contains("plan")  && l.Contains("openai/gpt-4o-mini")).ShouldContain(Format.Count(FakeOpenAIUpstream.PromptTokens));
        rows.ShouldContain(l => l.Contains("implement") && l.Contains("openai/gpt-4.1"));
        rows.ShouldContain(l => l.Contains("review") && l.Contains("openai/gpt-4o "));
        rows.Single(l => l.Contains("total")).ShouldContain(Format.Count(3 * FakeOpenAIUpstream.PromptTokens));
        result.Output.TrimEnd().ShouldEndWith(FakeOpenAIUpstream.CompletionText);
    }

    [Fact]
    public async Task Json_has_each_stage_and_the_output()
    {
        var result = await _cli.RunAsync("workflow", "run", "standard", "--input", "task.md", "--json");

        result.ExitCode.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Output);
        json.RootElement.GetProperty("workflow").GetString().ShouldBe("standard");
        json.RootElement.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()).ShouldBe(["plan", "implement", "review"]);
        json.RootElement.GetProperty("stages")[1].GetProperty("answered_model").GetString().ShouldBe("gpt-4.1");
        json.RootElement.GetProperty("output").GetString().ShouldBe(FakeOpenAIUpstream.CompletionText);
        json.RootElement.GetProperty("cost_usd").GetDecimal().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task A_failed_stage_stops_the_run_and_exits_4()
    {
        _fake.Enqueue(UpstreamFault.Delay(TimeSpan.Zero));
        _fake.Enqueue(UpstreamFault.Status(400));

        var result = await _cli.RunAsync("workflow", "run", "standard", "--input", "task.md");

        result.ExitCode.ShouldBe(4, result.ToString());
        _fake.Requests.Count.ShouldBe(2);
        result.Errors.ShouldContain("Stage implement failed");
        result.All.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task An_unknown_workflow_is_a_usage_error_that_suggests_the_nearest()
    {
        var result = await _cli.RunAsync("workflow", "run", "standrd", "--input", "task.md");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("There is no workflow 'standrd' (did you mean 'standard'?). Workflows: standard.");
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_missing_input_file_is_a_usage_error()
    {
        var result = await _cli.RunAsync("workflow", "run", "standard", "--input", "nope.md");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("--input nope.md cannot be read");
    }

    [Fact]
    public async Task List_shows_each_stage_its_model_and_whether_it_has_a_prompt()
    {
        var result = await _cli.RunAsync("workflow", "list");

        result.ExitCode.ShouldBe(0, result.ToString());
        var rows = result.Output.Split('\n');
        rows.ShouldContain(l => l.Contains("standard") && l.Contains("plan") && l.Contains("gpt-4o-mini") && l.Contains("default"));
        rows.ShouldContain(l => l.Contains("implement") && l.Contains("gpt-4.1") && l.Contains("configured"));
    }
}
