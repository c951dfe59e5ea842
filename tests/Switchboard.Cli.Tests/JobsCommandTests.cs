using Shouldly;
using Switchboard.Storage;
using Switchboard.Storage.Jobs;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class JobsCommandTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness _cli = new();
    private FakeOpenAIUpstream _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeOpenAIUpstream.StartAsync();
        _cli.Variables["OPENAI_API_KEY"] = "sk-test-0123456789abcdef";
        _cli.Variables["OPENAI_BASE_URL"] = _fake.BaseUrl.ToString();
        _cli.WriteFile("switchboard.yaml", "storage: sqlite:jobs.db\njobs: { provider: openai, model_name: gpt-4o-mini }\n");
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Submit_with_wait_runs_the_job_here_and_prints_the_answer_tokens_and_cost()
    {
        var result = await _cli.RunAsync("jobs", "submit", "--wait", "--system", "Be brief", "Say", "hello");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldStartWith("job_");
        lines[1].ShouldBe(FakeOpenAIUpstream.CompletionText);
        result.Errors.ShouldContain("openai/gpt-4o-mini");
        result.Errors.ShouldContain($"{FakeOpenAIUpstream.PromptTokens} in");
        result.Errors.ShouldContain("$");
        _fake.Requests.ShouldHaveSingleItem().BodyText.ShouldContain("Say hello");

        var show = await _cli.RunAsync("jobs", "show", lines[0]);
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Output.ShouldContain("succeeded");
        show.Output.ShouldContain(FakeOpenAIUpstream.CompletionText);
    }

    [Fact]
    public async Task Submit_stores_a_pending_job_that_list_shows_and_cancel_ends()
    {
        var submitted = await _cli.RunAsync("jobs", "submit", "--model-name", "gpt-4.1", "Later", "please");
        var id = submitted.Output.Trim();

        submitted.ExitCode.ShouldBe(0, submitted.ToString());
        var list = await _cli.RunAsync("jobs", "list", "--status", "pending");
        list.ExitCode.ShouldBe(0, list.ToString());
        list.Output.ShouldContain(id);
        list.Output.ShouldContain("openai/gpt-4.1");
        (await _cli.RunAsync("jobs", "list", "--json")).Output.ShouldContain($"\"id\":\"{id}\"");

        var cancelled = await _cli.RunAsync("jobs", "cancel", id);
        cancelled.ExitCode.ShouldBe(0, cancelled.ToString());
        cancelled.Output.ShouldContain("cancelled");
        (await _cli.RunAsync("jobs", "cancel", id)).ExitCode.ShouldBe(2);
        (await _cli.RunAsync("jobs", "show", "job_nothing")).ExitCode.ShouldBe(2);
        _fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unknown_provider_is_a_usage_error_naming_the_providers()
    {
        var result = await _cli.RunAsync("jobs", "submit", "--provider", "opnai", "--model-name", "gpt-4o-mini", "Hi");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("did you mean 'openai'");
    }

    [Fact]
    public async Task Batch_run_runs_every_line_with_progress_and_a_summary()
    {
        _cli.WriteFile("work.jsonl", """
            {"input": "first", "custom_id": "a"}
            {"custom_id": "b", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "gpt-4.1", "messages": [{"role": "user", "content": "second"}]}}
            {"input": "third", "provider": "openai", "model_name": "gpt-4o-mini"}
            """);

        var result = await _cli.RunAsync("batch", "run", "work.jsonl", "--concurrency", "2");

        result.ExitCode.ShouldBe(0, result.ToString());
        var id = result.Output.Split(Environment.NewLine)[0];
        id.ShouldStartWith("batch_");
        result.Output.ShouldContain("3 succeeded, 0 failed, 0 cancelled of 3");
        result.Errors.ShouldContain("3/3 done");
        _fake.Requests.Count.ShouldBe(3);
        await using var store = await SwitchboardStore.OpenAsync("sqlite:" + Path.Combine(_cli.WorkingDirectory, "jobs.db"), TimeProvider.System);
        (await store.GetBatchAsync(id)).ShouldNotBeNull().Concurrency.ShouldBe(2);
    }

    [Fact]
    public async Task Batch_run_resume_finishes_a_stored_batch()
    {
        string id;
        await using (var store = await SwitchboardStore.OpenAsync("sqlite:" + Path.Combine(_cli.WorkingDirectory, "jobs.db"), TimeProvider.System))
        {
            var job = new NewJob { Provider = "openai", ModelName = "gpt-4o-mini", Request = """{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"left over"}]}""" };
            id = (await store.CreateBatchAsync(JobIds.NewBatchId(DateTimeOffset.UtcNow), [job, job], concurrency: null)).Id;
        }

        var result = await _cli.RunAsync("batch", "run", "--resume", id);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("2 succeeded");
        _fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Batch_run_with_a_bad_line_is_a_usage_error_naming_the_line()
    {
        _cli.WriteFile("bad.jsonl", "{\"input\": \"ok\"}\n{\"input\": \"x\", \"provider\": \"nope\"}\n");

        var result = await _cli.RunAsync("batch", "run", "bad.jsonl");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("bad.jsonl: line 2: unknown provider 'nope'");
        _fake.Requests.ShouldBeEmpty();
    }
}
