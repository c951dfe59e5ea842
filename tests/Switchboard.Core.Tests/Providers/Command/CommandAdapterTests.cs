using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Command;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Command;

/// <summary>Command providers running real programs: small shell scripts written by each test.</summary>
public sealed class CommandAdapterTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly CommandScripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    [Fact]
    public async Task The_prompt_file_and_model_reach_the_program_and_stdout_is_the_answer()
    {
        var script = _scripts.Write("echo.sh", CommandScripts.EchoPromptFile);
        using var runtime = Runtime($$"""[{{script}}, "{prompt_file}", "{model}"]""");

        var completion = await Client(runtime).CompleteAsync(new ChatRequest
        {
            Model = "cli/my-model",
            Messages = [ChatMessage.System("Be brief."), ChatMessage.User("Hi"), ChatMessage.Assistant("Hello"), ChatMessage.User("How are you?")],
        });

        var text = "model=my-model\nBe brief.\n\nUser: Hi\n\nAssistant: Hello\n\nUser: How are you?";
        completion.Response.Choices[0].Message.Content!.Text.ShouldBe(text);
        completion.Response.Choices[0].FinishReason.ShouldBe(FinishReasons.Stop);
        completion.Response.Model.ShouldBe("my-model");
        var usage = completion.Response.Usage!;
        usage.PromptTokens.ShouldBe((text.Length - "model=my-model\n".Length + 3) / 4);
        usage.CompletionTokens.ShouldBe((text.Length + 3) / 4);
        usage.AdditionalProperties!["estimated"].GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Arguments_reach_the_program_exactly_as_written_with_no_shell_between()
    {
        var script = _scripts.Write("args.sh", CommandScripts.EchoArguments);
        using var runtime = Runtime($$"""[{{script}}, --model, "{model}", "{prompt}", "x{model}y"]""");
        const string prompt = "it's \"quoted\" $(touch pwned) ; rm -rf * `id` {model} \\n";

        var completion = await Client(runtime).CompleteAsync(new ChatRequest { Model = "cli/m", Messages = [ChatMessage.User(prompt)] });

        completion.Response.Choices[0].Message.Content!.Text.ShouldBe($"[--model]\n[m]\n[{prompt}]\n[xmy]");
        File.Exists("pwned").ShouldBeFalse();
    }

    [Fact]
    public async Task The_prompt_file_is_gone_after_the_run()
    {
        var script = _scripts.Write("path.sh", "printf '%s' \"$1\"");
        using var runtime = Runtime($$"""[{{script}}, "{prompt_file}"]""");

        var completion = await Client(runtime).CompleteAsync(new ChatRequest { Model = "cli/m", Messages = [ChatMessage.User("secret")] });

        var path = completion.Response.Choices[0].Message.Content!.Text!;
        path.ShouldEndWith("prompt.txt");
        File.Exists(path).ShouldBeFalse();
        Directory.Exists(Path.GetDirectoryName(path)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_stream_delivers_each_line_as_the_program_writes_it()
    {
        var go = _scripts.PathOf("go");
        var script = _scripts.Write("slow.sh", CommandScripts.SlowLines);
        using var runtime = Runtime($"""[{script}, "{go}"]""");

        await using var stream = await Client(runtime).StreamAsync(new ChatRequest { Model = "cli/m", Messages = [ChatMessage.User("Hi")] });
        var text = new StringBuilder();
        string? finish = null;
        await foreach (var chunk in stream.ReadAsync())
        {
            foreach (var choice in chunk.Choices)
            {
                text.Append(choice.Delta.Content);
                finish ??= choice.FinishReason;
            }
            if (text.ToString() == "first line")
            {
                // The program waits for this file before it writes more: the first line came while it was still running.
                File.Exists(go).ShouldBeFalse();
                await File.WriteAllTextAsync(go, "");
            }
        }

        text.ToString().ShouldBe("first line\nsecond line\nthird");
        finish.ShouldBe(FinishReasons.Stop);
        stream.Usage!.Value.Output.ShouldBe(("first line\nsecond line\nthird".Length + 3) / 4);
        stream.Usage!.Value.Input.ShouldBe(1);
    }

    [Fact]
    public async Task A_non_zero_exit_is_unavailable_with_the_end_of_stderr()
    {
        var script = _scripts.Write("fail.sh", CommandScripts.Fail);
        using var runtime = Runtime($"[{script}]");

        var error = await Should.ThrowAsync<SwitchboardException>(() => Client(runtime).CompleteAsync(Hello()));

        error.Category.ShouldBe(ErrorCategory.Unavailable);
        error.StatusCode.ShouldBe(502);
        error.Code.ShouldBe("command_failed");
        error.Provider.ShouldBe("cli");
        error.Message.ShouldBe($"'{script}' (providers.cli.command) exited with code 3. The end of its stderr:\nloading model\nerror: model xyz is not available");
    }

    [Fact]
    public async Task A_stream_whose_program_fails_before_writing_fails_before_it_starts()
    {
        var script = _scripts.Write("fail.sh", CommandScripts.Fail);
        using var runtime = Runtime($"[{script}]");

        var error = await Should.ThrowAsync<SwitchboardException>(() => Client(runtime).StreamAsync(Hello()));

        error.Category.ShouldBe(ErrorCategory.Unavailable);
        error.Message.ShouldContain("exited with code 3");
    }

    [Fact]
    public async Task A_program_failing_mid_stream_ends_the_stream_with_its_error()
    {
        var script = _scripts.Write("partial.sh", "echo partial\necho 'boom: out of memory' >&2\nexit 3");
        using var runtime = Runtime($"[{script}]");

        await using var stream = await Client(runtime).StreamAsync(Hello());
        var text = new StringBuilder();
        var error = await Should.ThrowAsync<SwitchboardException>(async () =>
        {
            await foreach (var chunk in stream.ReadAsync()) text.Append(chunk.Choices.FirstOrDefault()?.Delta.Content);
        });

        text.ToString().ShouldBe("partial");
        error.Category.ShouldBe(ErrorCategory.Unavailable);
        error.Message.ShouldEndWith("boom: out of memory");
    }

    [Fact]
    public async Task A_program_past_its_timeout_is_killed_with_what_it_started_and_times_out()
    {
        var (script, parent, child) = Hang();
        using var runtime = Runtime($"""[{script}, "{parent}", "{child}"]""", timeout: "500ms");

        var error = await Should.ThrowAsync<SwitchboardException>(() => Client(runtime).CompleteAsync(Hello()));

        error.Category.ShouldBe(ErrorCategory.Timeout);
        error.StatusCode.ShouldBe(504);
        error.Code.ShouldBe("command_timeout");
        error.Message.ShouldBe($"'{script}' (providers.cli.command) ran past its timeout of 0.5s, so Switchboard stopped it and everything it started. If it needs longer, raise providers.cli.timeout in switchboard.yaml.");
        (await CommandScripts.WaitGoneAsync(await CommandScripts.ReadProcessIdAsync(parent, Patience), Patience)).ShouldBeTrue("the script still runs");
        (await CommandScripts.WaitGoneAsync(await CommandScripts.ReadProcessIdAsync(child, Patience), Patience)).ShouldBeTrue("the script's child still runs");
    }

    [Fact]
    public async Task A_stream_past_its_timeout_ends_with_a_timeout()
    {
        var pid = _scripts.PathOf("pid");
        var script = _scripts.Write("stall.sh", "echo started\necho $$ > \"$1\"\nexec sleep 300");
        using var runtime = Runtime($"""[{script}, "{pid}"]""", timeout: "700ms");

        await using var stream = await Client(runtime).StreamAsync(Hello());
        var error = await Should.ThrowAsync<SwitchboardException>(async () =>
        {
            await foreach (var _ in stream.ReadAsync())
            {
            }
        });

        error.Category.ShouldBe(ErrorCategory.Timeout);
        (await CommandScripts.WaitGoneAsync(await CommandScripts.ReadProcessIdAsync(pid, Patience), Patience)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_caller_who_gives_up_stops_the_program()
    {
        var (script, parent, child) = Hang();
        using var runtime = Runtime($"""[{script}, "{parent}", "{child}"]""", timeout: "5m");
        using var cancel = new CancellationTokenSource();

        var call = Client(runtime).CompleteAsync(Hello(), cancel.Token);
        var id = await CommandScripts.ReadProcessIdAsync(parent, Patience);
        var childId = await CommandScripts.ReadProcessIdAsync(child, Patience);
        CommandScripts.IsRunning(id).ShouldBeTrue();
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call);
        (await CommandScripts.WaitGoneAsync(id, Patience)).ShouldBeTrue();
        (await CommandScripts.WaitGoneAsync(childId, Patience)).ShouldBeTrue();
    }

    [Fact]
    public async Task Disposing_a_stream_stops_the_program()
    {
        var pid = _scripts.PathOf("pid");
        var script = _scripts.Write("stall.sh", "echo $$ > \"$1\"\necho started\nexec sleep 300");
        using var runtime = Runtime($"""[{script}, "{pid}"]""", timeout: "5m");

        var stream = await Client(runtime).StreamAsync(Hello());
        var id = await CommandScripts.ReadProcessIdAsync(pid, Patience);
        CommandScripts.IsRunning(id).ShouldBeTrue();
        await stream.DisposeAsync();

        (await CommandScripts.WaitGoneAsync(id, Patience)).ShouldBeTrue();
    }

    [Fact]
    public async Task With_output_file_the_answer_is_read_from_the_output_file()
    {
        var script = _scripts.Write("file.sh", CommandScripts.WriteOutputFile);
        using var runtime = Runtime($$"""[{{script}}, "{output_file}", "{model}"]""", output: "file");

        var whole = await Client(runtime).CompleteAsync(new ChatRequest { Model = "cli/m1", Messages = [ChatMessage.User("Hi")] });
        whole.Response.Choices[0].Message.Content!.Text.ShouldBe("answer for m1");

        await using var stream = await Client(runtime).StreamAsync(new ChatRequest { Model = "cli/m2", Messages = [ChatMessage.User("Hi")] });
        var text = new StringBuilder();
        await foreach (var chunk in stream.ReadAsync()) text.Append(chunk.Choices.FirstOrDefault()?.Delta.Content);
        text.ToString().ShouldBe("answer for m2");
    }

    [Fact]
    public async Task An_output_file_never_written_is_an_error_that_says_so()
    {
        var script = _scripts.Write("silent.sh", CommandScripts.Silent);
        using var runtime = Runtime($$"""[{{script}}, "{output_file}"]""", output: "file");

        var error = await Should.ThrowAsync<SwitchboardException>(() => Client(runtime).CompleteAsync(Hello()));

        error.Category.ShouldBe(ErrorCategory.Unavailable);
        error.Message.ShouldStartWith($"'{script}' (providers.cli.command) exited with code 0 but wrote nothing to {{output_file}}");
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_named_with_the_key_to_fix()
    {
        using var runtime = Runtime("[switchboard-no-such-program, -p]");

        var error = await Should.ThrowAsync<SwitchboardException>(() => Client(runtime).CompleteAsync(Hello()));

        error.Category.ShouldBe(ErrorCategory.Unavailable);
        error.Code.ShouldBe("command_not_found");
        error.Message.ShouldBe("Could not start 'switchboard-no-such-program' (providers.cli.command): no program of that name was found on PATH. " +
            "The first item of providers.cli.command in switchboard.yaml is the program to run: install it, or give its full path.");
    }

    [Fact]
    public async Task A_program_that_is_not_executable_says_so()
    {
        var script = _scripts.Write("plain.sh", "echo hi");
        // Command providers are tested on Unix-like systems, where a file needs its executable bit to run.
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var runtime = Runtime($"[{script}]");

        var error = await Should.ThrowAsync<SwitchboardException>(() => Client(runtime).CompleteAsync(Hello()));

        error.Message.ShouldStartWith($"Could not start '{script}' (providers.cli.command): it is not executable (permission denied).");
    }

    [Fact]
    public async Task Nul_bytes_in_the_output_cannot_end_the_answer_early()
    {
        var script = _scripts.Write("nul.sh", "printf 'a\\000b\\nc'");
        using var runtime = Runtime($"[{script}]");

        var completion = await Client(runtime).CompleteAsync(Hello());

        completion.Response.Choices[0].Message.Content!.Text.ShouldBe("ab\nc");
    }

    [Fact]
    public void The_adapter_takes_its_settings_from_the_config()
    {
        using var runtime = Runtime("[claude, -p, \"{prompt_file}\"]");

        var adapter = runtime.Providers.Find("cli")!.Adapter.ShouldBeOfType<CommandAdapter>();
        adapter.Settings.Timeout.ShouldBe(CommandAdapter.DefaultTimeout);
        adapter.Settings.ReadsFile.ShouldBeFalse();
        adapter.Settings.Template.ShouldBe(["claude", "-p", "{prompt_file}"]);
        runtime.Providers.Find("cli")!.IsEnabled.ShouldBeTrue();
    }

    private (string Script, string Parent, string Child) Hang() =>
        (_scripts.Write("hang.sh", CommandScripts.Hang), _scripts.PathOf("parent.pid"), _scripts.PathOf("child.pid"));

    private static SwitchboardClient Client(SwitchboardRuntime runtime) => new(runtime);

    private static ChatRequest Hello() => new() { Model = "cli/m", Messages = [ChatMessage.User("Hello")] };

    private static SwitchboardRuntime Runtime(string command, string? timeout = null, string? output = null)
    {
        var extra = (timeout is null ? "" : $", timeout: {timeout}") + (output is null ? "" : $", output: {output}");
        return TestRuntime.Create($$"""
            providers:
              cli: { type: command, command: {{command}}{{extra}} }
            """);
    }
}
