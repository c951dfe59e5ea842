using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Sockets;
using OpenAI;
using OpenAI.Chat;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// The official OpenAI .NET SDK against the gateway with Ollama's native API upstream (<c>api: native</c>): requests,
/// answers and NDJSON streams translated both ways.
/// </summary>
public sealed class OllamaTests
{
    private const string Model = "local/llama3.2";
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string","description":"The city to get the weather for"}},"required":["city"]}""";

    [Fact]
    public async Task Text_comes_back_with_ollamas_counts_as_usage()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);

        var result = await Client(host).CompleteChatAsync([new SystemChatMessage("Be kind."), new UserChatMessage("Hello!")]);
        var completion = result.Value;

        completion.Content.Single().Text.ShouldBe(FakeOllamaUpstream.CompletionText);
        completion.Model.ShouldBe("llama3.2");
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.ShouldBe(FakeOllamaUpstream.PromptEvalCount);
        completion.Usage.OutputTokenCount.ShouldBe(FakeOllamaUpstream.EvalCount);
        result.GetRawResponse().Headers.TryGetValue("x-switchboard-provider", out var provider).ShouldBeTrue();
        provider.ShouldBe("local");
        var sent = ollama.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe("/api/chat");
        using var body = sent.ParseBody();
        body.RootElement.GetProperty("model").GetString().ShouldBe("llama3.2");
        body.RootElement.GetProperty("stream").GetBoolean().ShouldBeFalse();
        body.RootElement.GetProperty("messages")[0].GetProperty("role").GetString().ShouldBe("system");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stream_arrives_as_deltas_with_usage_last()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")])) updates.Add(update);

        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)).ShouldBe(FakeOllamaUpstream.StreamText);
        updates.Select(u => u.FinishReason).ShouldContain(ChatFinishReason.Stop);
        var usage = updates[^1].Usage.ShouldNotBeNull();
        usage.InputTokenCount.ShouldBe(FakeOllamaUpstream.PromptEvalCount);
        usage.OutputTokenCount.ShouldBe(FakeOllamaUpstream.EvalCount);
        using var body = ollama.Requests.Single().ParseBody();
        body.RootElement.GetProperty("stream").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_tool_call_and_its_result_make_the_round_trip()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "Get the weather in a given city", BinaryData.FromString(WeatherSchema)) } };
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Tokyo?")];

        var first = (await Client(host).CompleteChatAsync(messages, options)).Value;

        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        var call = first.ToolCalls.ShouldHaveSingleItem();
        call.FunctionName.ShouldBe("get_weather");
        call.Id.ShouldStartWith("call_");
        call.FunctionArguments.ToString().ShouldBe(FakeOllamaUpstream.ToolArguments);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "11 degrees celsius"));
        var second = (await Client(host).CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeOllamaUpstream.ToolResultTextPrefix + "11 degrees celsius");
        using var sent = ollama.Requests[1].ParseBody();
        var history = sent.RootElement.GetProperty("messages");
        history[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetProperty("city").GetString().ShouldBe("Tokyo");
        history[2].GetProperty("role").GetString().ShouldBe("tool");
        history[2].GetProperty("tool_name").GetString().ShouldBe("get_weather");
    }

    [Fact]
    public async Task A_streamed_tool_call_arrives_whole_with_an_id()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "Get the weather", BinaryData.FromString(WeatherSchema)) } };

        var calls = new List<StreamingChatToolCallUpdate>();
        ChatFinishReason? finish = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("What is the weather in Tokyo?")], options))
        {
            calls.AddRange(update.ToolCallUpdates);
            finish ??= update.FinishReason;
        }

        calls[0].FunctionName.ShouldBe("get_weather");
        calls[0].ToolCallId.ShouldStartWith("call_");
        string.Concat(calls.Select(c => c.FunctionArgumentsUpdate?.ToString())).ShouldBe(FakeOllamaUpstream.ToolArguments);
        finish.ShouldBe(ChatFinishReason.ToolCalls);
    }

    [Fact]
    public async Task An_image_goes_to_ollama_as_base64()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        var completion = (await Client(host, "local/llava").CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("what is in this image?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))])).Value;

        completion.Content.Single().Text.ShouldBe(FakeOllamaUpstream.ImageText(1));
        using var sent = ollama.Requests.Single().ParseBody();
        var message = sent.RootElement.GetProperty("messages")[0];
        message.GetProperty("content").GetString().ShouldBe("what is in this image?");
        message.GetProperty("images")[0].GetString().ShouldBe(Convert.ToBase64String(png));
    }

    [Fact]
    public async Task An_image_link_is_a_400_that_says_to_send_it_inline()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);

        using var response = await host.PostChatAsync("""
            {"model":"local/llava","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}
            """);

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldContain("Ollama takes images inline only");
        ollama.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_model_ollama_does_not_have_is_a_404_with_its_message()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("local/mistral"));

        (await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound)).Message.ShouldBe("model 'mistral' not found");
    }

    [Fact]
    public async Task A_stream_cut_before_its_done_line_ends_with_an_error_event()
    {
        await using var ollama = await FakeOllamaUpstream.StartAsync();
        await using var host = await StartAsync(ollama);
        ollama.Enqueue(UpstreamFault.CutStreamAfter(3));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));

        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        Sse.Content(payloads).ShouldBe(string.Concat(FakeOllamaUpstream.StreamTextDeltas.Take(3)));
        payloads.ShouldNotContain("[DONE]");
        OpenAIError.Parse(payloads[^1]).Type.ShouldBe("api_error");
    }

    [Fact]
    public async Task Nothing_listening_is_a_502_that_says_to_start_ollama()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var host = await GatewayHost.StartAsync($"providers:\n  local: {{ type: ollama, base_url: \"http://127.0.0.1:{port}\", api: native }}\n");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Message.ShouldStartWith($"Could not reach Ollama at http://127.0.0.1:{port}/");
        error.Message.ShouldEndWith("Is Ollama running? Start it with: ollama serve");
    }

    private static Task<GatewayHost> StartAsync(FakeOllamaUpstream ollama) =>
        GatewayHost.StartAsync($"providers:\n  local: {{ type: ollama, base_url: \"{ollama.BaseUrl}\", api: native }}\n");

    private static ChatClient Client(GatewayHost host, string model = Model) =>
        new(model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.V1,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
}
