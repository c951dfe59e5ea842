using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Providers.Ollama;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Ollama;

/// <summary>Ollama's native API end to end in process: the runtime, the adapter and real HTTP to a fake Ollama.</summary>
public sealed class OllamaAdapterTests : IAsyncLifetime
{
    private FakeOllamaUpstream _ollama = null!;

    public async Task InitializeAsync() => _ollama = await FakeOllamaUpstream.StartAsync();

    public async Task DisposeAsync() => await _ollama.DisposeAsync();

    [Fact]
    public void Api_native_selects_the_native_adapter_and_the_default_stays_openai_compatible()
    {
        using var runtime = TestRuntime.Create("""
            providers:
              local: { type: ollama, base_url: "http://127.0.0.1:11434", api: native }
              compat: { type: ollama, api: openai }
            """);

        var native = runtime.Providers.Find("local")!;
        native.Adapter.ShouldBeOfType<OllamaAdapter>().Dialect.ShouldBe(WireDialect.Ollama);
        OllamaAdapter.Endpoint(native.BaseUrl).ShouldBe(new Uri("http://127.0.0.1:11434/api/chat"));
        runtime.Providers.Find("compat")!.Adapter.ShouldBeSameAs(OpenAICompatibleAdapter.Instance);
        runtime.Providers.Find("ollama")!.Adapter.ShouldBeSameAs(OpenAICompatibleAdapter.Instance);
    }

    [Fact]
    public async Task A_whole_answer_is_read_from_api_chat()
    {
        using var runtime = Runtime();

        var completion = await new SwitchboardClient(runtime).CompleteAsync(Request("local/llama3.2", "Hello!"));

        completion.Response.Choices[0].Message.Content!.Text.ShouldBe(FakeOllamaUpstream.CompletionText);
        completion.Response.Model.ShouldBe("llama3.2");
        completion.Usage!.Value.Input.ShouldBe(FakeOllamaUpstream.PromptEvalCount);
        completion.Usage!.Value.Output.ShouldBe(FakeOllamaUpstream.EvalCount);
        var sent = _ollama.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/api/chat");
        sent.Headers.ContainsKey("authorization").ShouldBeFalse();
        using var body = sent.ParseBody();
        body.RootElement.GetProperty("model").GetString().ShouldBe("llama3.2");
        body.RootElement.GetProperty("stream").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task A_stream_is_decoded_line_by_line_with_its_usage()
    {
        using var runtime = Runtime();

        await using var stream = await new SwitchboardClient(runtime).StreamAsync(Request("local/llama3.2", "Hello!"));
        var text = new StringBuilder();
        string? finish = null;
        await foreach (var chunk in stream.ReadAsync())
        {
            foreach (var choice in chunk.Choices)
            {
                text.Append(choice.Delta?.Content);
                finish ??= choice.FinishReason;
            }
        }

        text.ToString().ShouldBe(FakeOllamaUpstream.StreamText);
        finish.ShouldBe(FinishReasons.Stop);
        stream.Usage!.Value.Input.ShouldBe(FakeOllamaUpstream.PromptEvalCount);
        _ollama.Requests.ShouldHaveSingleItem().Headers["accept"].ShouldBe("application/x-ndjson");
    }

    [Fact]
    public async Task A_tool_call_comes_back_with_an_id_and_its_result_goes_back_by_name()
    {
        using var runtime = Runtime();
        var client = new SwitchboardClient(runtime);
        var request = Request("local/llama3.2", "What is the weather in Tokyo?") with
        {
            Tools = [new ChatTool { Function = new FunctionDefinition { Name = "get_weather", Parameters = JsonDocument.Parse("""{"type":"object"}""").RootElement } }],
        };

        var first = await client.CompleteAsync(request);
        var call = first.Response.Choices[0].Message.ToolCalls.ShouldHaveSingleItem();
        call.Function.Arguments.ShouldBe(FakeOllamaUpstream.ToolArguments);
        first.Response.Choices[0].FinishReason.ShouldBe(FinishReasons.ToolCalls);

        var second = await client.CompleteAsync(request with
        {
            Messages = [.. request.Messages, first.Response.Choices[0].Message, new ChatMessage { Role = ChatRoles.Tool, ToolCallId = call.Id, Content = ChatContent.FromText("11 degrees celsius") }],
        });

        second.Response.Choices[0].Message.Content!.Text.ShouldBe(FakeOllamaUpstream.ToolResultTextPrefix + "11 degrees celsius");
        using var sent = _ollama.Requests[1].ParseBody();
        var result = sent.RootElement.GetProperty("messages")[2];
        result.GetProperty("tool_name").GetString().ShouldBe("get_weather");
        sent.RootElement.GetProperty("messages")[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetProperty("city").GetString().ShouldBe("Tokyo");
    }

    [Fact]
    public async Task Ollamas_error_text_is_kept_and_classified()
    {
        using var runtime = Runtime();
        var client = new SwitchboardClient(runtime);

        var missing = await Should.ThrowAsync<SwitchboardException>(() => client.CompleteAsync(Request("local/nope", "Hi")));
        missing.Category.ShouldBe(ErrorCategory.NotFound);
        missing.StatusCode.ShouldBe(404);
        missing.Message.ShouldBe("model 'nope' not found");

        _ollama.Enqueue(UpstreamFault.ContextLengthExceeded());
        var tooLong = await Should.ThrowAsync<SwitchboardException>(() => client.CompleteAsync(Request("local/llama3.2", "Hi")));
        tooLong.Category.ShouldBe(ErrorCategory.ContextWindowExceeded);
        tooLong.Message.ShouldBe("the input length exceeds the context length");

        _ollama.Enqueue(UpstreamFault.Status(503));
        var busy = await Should.ThrowAsync<SwitchboardException>(() => client.CompleteAsync(Request("local/llama3.2", "Hi")));
        busy.Category.ShouldBe(ErrorCategory.Unavailable);
        busy.Message.ShouldStartWith("server busy");
    }

    [Fact]
    public async Task A_stream_cut_before_its_done_line_is_an_error()
    {
        using var runtime = Runtime();
        _ollama.Enqueue(UpstreamFault.CutStreamAfter(2));

        await using var stream = await new SwitchboardClient(runtime).StreamAsync(Request("local/llama3.2", "Hello!"));
        var error = await Should.ThrowAsync<SwitchboardException>(async () =>
        {
            await foreach (var _ in stream.ReadAsync())
            {
            }
        });

        error.Category.ShouldBe(ErrorCategory.Unavailable);
    }

    [Fact]
    public async Task Nothing_listening_on_the_port_says_to_start_ollama()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var runtime = TestRuntime.Create($$"""
            providers:
              local: { type: ollama, base_url: "http://127.0.0.1:{{port}}", api: native }
            """);

        var error = await Should.ThrowAsync<SwitchboardException>(() => new SwitchboardClient(runtime).CompleteAsync(Request("local/llama3.2", "Hi")));

        error.Category.ShouldBe(ErrorCategory.Unavailable);
        error.StatusCode.ShouldBe(502);
        error.Message.ShouldStartWith($"Could not reach Ollama at http://127.0.0.1:{port}/");
        error.Message.ShouldEndWith("Is Ollama running? Start it with: ollama serve");
    }

    // Retries off: the tests read each provider error as the caller gets it, not a retry's answer.
    private SwitchboardRuntime Runtime() => TestRuntime.Create($$"""
        resilience: { retries: 0 }
        providers:
          local: { type: ollama, base_url: "{{_ollama.BaseUrl}}", api: native }
        """);

    private static ChatRequest Request(string model, string text) => new() { Model = model, Messages = [ChatMessage.User(text)] };
}
