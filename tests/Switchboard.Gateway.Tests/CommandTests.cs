using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using OpenAI;
using OpenAI.Chat;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// A command provider behind the gateway, running real programs (shell scripts written by each test), with the official
/// OpenAI .NET SDK as the client: whole answers, streams line by line, failures and timeouts as classified errors.
/// </summary>
public sealed class CommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly CommandScripts _scripts = new();

    public void Dispose() => _scripts.Dispose();

    [Fact]
    public async Task A_whole_answer_is_the_programs_stdout()
    {
        var script = _scripts.Write("echo.sh", CommandScripts.EchoPromptFile);
        await using var host = await StartAsync($$"""[{{script}}, "{prompt_file}", "{model}"]""");

        var result = await Client(host, "cli/sonnet").CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Why is the sky blue?")]);
        var completion = result.Value;

        completion.Content.Single().Text.ShouldBe("model=sonnet\nBe brief.\n\nWhy is the sky blue?");
        completion.Model.ShouldBe("sonnet");
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.ShouldBe(("Be brief.\n\nWhy is the sky blue?".Length + 3) / 4);
        result.GetRawResponse().Headers.TryGetValue("x-switchboard-provider", out var provider).ShouldBeTrue();
        provider.ShouldBe("cli");
        result.GetRawResponse().Content.ToString().ShouldContain("\"estimated\":true");
    }

    [Fact]
    public async Task A_stream_delivers_the_first_line_while_the_program_still_runs()
    {
        var go = _scripts.PathOf("go");
        var script = _scripts.Write("slow.sh", CommandScripts.SlowLines);
        await using var host = await StartAsync($"""[{script}, "{go}"]""");

        var text = new StringBuilder();
        var sawFirstLineEarly = false;
        ChatTokenUsage? usage = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello")]))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            usage = update.Usage ?? usage;
            if (text.ToString() == "first line" && !File.Exists(go))
            {
                // The program waits for this file before writing more: the line came while it was still running.
                sawFirstLineEarly = true;
                await File.WriteAllTextAsync(go, "");
            }
        }

        sawFirstLineEarly.ShouldBeTrue();
        text.ToString().ShouldBe("first line\nsecond line\nthird");
        usage.ShouldNotBeNull().OutputTokenCount.ShouldBe(("first line\nsecond line\nthird".Length + 3) / 4);
    }

    [Fact]
    public async Task A_failing_program_is_a_502_with_the_end_of_its_stderr()
    {
        var script = _scripts.Write("fail.sh", CommandScripts.Fail);
        await using var host = await StartAsync($"[{script}]");

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello")]));

        error.Status.ShouldBe(502);
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Type.ShouldBe("api_error");
        body.Code.ShouldBe("command_failed");
        body.Message.ShouldBe($"'{script}' (providers.cli.command) exited with code 3. The end of its stderr:\nloading model\nerror: model xyz is not available");
    }

    [Fact]
    public async Task A_program_that_fails_mid_stream_ends_the_stream_with_an_error_event()
    {
        var script = _scripts.Write("partial.sh", "echo partial\necho 'boom: out of memory' >&2\nexit 3");
        await using var host = await StartAsync($"[{script}]");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("cli/m", "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        Sse.Content(payloads).ShouldBe("partial");
        payloads.ShouldNotContain("[DONE]");
        var error = OpenAIError.Parse(payloads[^1]);
        error.Code.ShouldBe("command_failed");
        error.Message.ShouldEndWith("boom: out of memory");
    }

    [Fact]
    public async Task A_program_past_its_timeout_is_killed_and_the_client_gets_a_504()
    {
        var script = _scripts.Write("hang.sh", CommandScripts.Hang);
        var (parent, child) = (_scripts.PathOf("parent.pid"), _scripts.PathOf("child.pid"));
        await using var host = await StartAsync($"""[{script}, "{parent}", "{child}"]""", "timeout: 600ms");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("cli/m"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.GatewayTimeout);
        error.Type.ShouldBe("timeout_error");
        error.Code.ShouldBe("command_timeout");
        error.Message.ShouldContain("ran past its timeout of 0.6s");
        error.Message.ShouldContain("providers.cli.timeout");
        (await CommandScripts.WaitGoneAsync(await CommandScripts.ReadProcessIdAsync(parent, Patience), Patience)).ShouldBeTrue();
        (await CommandScripts.WaitGoneAsync(await CommandScripts.ReadProcessIdAsync(child, Patience), Patience)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_client_that_disconnects_stops_the_program()
    {
        var pid = _scripts.PathOf("pid");
        var script = _scripts.Write("stall.sh", "echo $$ > \"$1\"\necho started\nexec sleep 300");
        await using var host = await StartAsync($"""[{script}, "{pid}"]""", "timeout: 5m");

        using (var response = await host.PostRawAsync(Encoding.UTF8.GetBytes(GatewayHost.ChatBody("cli/m", "\"stream\":true")), completion: HttpCompletionOption.ResponseHeadersRead))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            CommandScripts.IsRunning(await CommandScripts.ReadProcessIdAsync(pid, Patience)).ShouldBeTrue();
        }

        (await CommandScripts.WaitGoneAsync(await CommandScripts.ReadProcessIdAsync(pid, Patience), Patience)).ShouldBeTrue();
    }

    [Fact]
    public async Task A_program_that_does_not_exist_is_a_502_naming_it_and_the_key()
    {
        await using var host = await StartAsync("[switchboard-no-such-program]");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("cli/m"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Message.ShouldStartWith("Could not start 'switchboard-no-such-program' (providers.cli.command): no program of that name was found on PATH.");
    }

    private static Task<GatewayHost> StartAsync(string command, string? extra = null) =>
        GatewayHost.StartAsync($"providers:\n  cli: {{ type: command, command: {command}{(extra is null ? "" : ", " + extra)} }}\n");

    private static ChatClient Client(GatewayHost host, string model = "cli/m") =>
        new(model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.V1,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
}
