using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>The official OpenAI .NET SDK pointed at the gateway works as it does against OpenAI.</summary>
public sealed class OpenAISdkTests
{
    private const string WeatherSchema = """{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""";

    private static ChatClient Client(GatewayHost host, string model = "gpt-4o-mini") =>
        new(model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.V1,
            // The SDK retries 429 and 5xx on its own; the gateway's answer must be seen as it is.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static ChatTool WeatherTool() =>
        ChatTool.CreateFunctionTool("get_current_weather", "Get the current weather in a given location", BinaryData.FromString(WeatherSchema));

    [Fact]
    public async Task Sdk_chat_gets_the_completion_text_and_usage_with_cached_and_reasoning_tokens()
    {
        await using var host = await GatewayHost.StartAsync();

        var result = await Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]);
        var completion = result.Value;

        completion.Content.Single().Text.ShouldBe(FakeOpenAIUpstream.CompletionText);
        completion.Id.ShouldBe(FakeOpenAIUpstream.CompletionId);
        completion.Model.ShouldBe("gpt-4o-mini");
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.ShouldBe(FakeOpenAIUpstream.PromptTokens);
        completion.Usage.OutputTokenCount.ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        completion.Usage.TotalTokenCount.ShouldBe(FakeOpenAIUpstream.TotalTokens);
        completion.Usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeOpenAIUpstream.CachedTokens);
        completion.Usage.OutputTokenDetails.ReasoningTokenCount.ShouldBe(FakeOpenAIUpstream.ReasoningTokens);

        var raw = result.GetRawResponse();
        raw.Headers.TryGetValue("x-switchboard-provider", out var provider).ShouldBeTrue();
        provider.ShouldBe("openai");
        host.Fake.Requests.Single().Headers["authorization"].ShouldBe("Bearer " + GatewayHost.OpenAIKey);
    }

    [Fact]
    public async Task Sdk_streaming_deltas_concatenate_to_the_stream_text_with_usage_on_the_last_update()
    {
        await using var host = await GatewayHost.StartAsync();

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")]))
            updates.Add(update);

        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)).ShouldBe(FakeOpenAIUpstream.StreamText);
        updates.ShouldNotBeEmpty();
        var usage = updates[^1].Usage;
        usage.ShouldNotBeNull("the SDK asks for usage (stream_options.include_usage) and the last update must carry it");
        usage.InputTokenCount.ShouldBe(FakeOpenAIUpstream.PromptTokens);
        usage.OutputTokenCount.ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeOpenAIUpstream.CachedTokens);
        usage.OutputTokenDetails.ReasoningTokenCount.ShouldBe(FakeOpenAIUpstream.ReasoningTokens);
        updates.Take(updates.Count - 1).ShouldAllBe(u => u.Usage == null);

        using var sent = host.Fake.Requests.Single().ParseBody();
        sent.RootElement.GetProperty("stream").GetBoolean().ShouldBeTrue();
        sent.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Sdk_tool_call_round_trip_sees_the_call_and_gets_the_answer_to_the_tool_result()
    {
        await using var host = await GatewayHost.StartAsync();
        var client = Client(host);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        List<ChatMessage> messages = [new UserChatMessage("What's the weather like in Boston today?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        var call = first.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe(FakeOpenAIUpstream.ToolCallId);
        call.FunctionName.ShouldBe("get_current_weather");
        call.FunctionArguments.ToString().ShouldBe(FakeOpenAIUpstream.ToolArguments);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "72F and sunny"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeOpenAIUpstream.ToolResultText("72F and sunny"));
        using var sent = host.Fake.Requests[1].ParseBody();
        var sentMessages = sent.RootElement.GetProperty("messages");
        sentMessages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString().ShouldBe(FakeOpenAIUpstream.ToolCallId);
        sentMessages[2].GetProperty("tool_call_id").GetString().ShouldBe(FakeOpenAIUpstream.ToolCallId);
    }

    [Fact]
    public async Task Sdk_streamed_tool_call_arguments_concatenate_to_the_whole_arguments()
    {
        await using var host = await GatewayHost.StartAsync();
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };

        var arguments = new StringBuilder();
        string? name = null, id = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Weather in Boston?")], options))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                toolUpdate.Index.ShouldBe(0);
                name ??= toolUpdate.FunctionName;
                id ??= toolUpdate.ToolCallId;
                if (toolUpdate.FunctionArgumentsUpdate is { } fragment) arguments.Append(fragment.ToString());
            }
            finish ??= update.FinishReason;
        }

        name.ShouldBe("get_current_weather");
        id.ShouldBe(FakeOpenAIUpstream.ToolCallId);
        arguments.ToString().ShouldBe(FakeOpenAIUpstream.ToolArguments);
        finish.ShouldBe(ChatFinishReason.ToolCalls);
        JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("location").GetString().ShouldBe("Boston, MA");
    }

    [Fact]
    public async Task Sdk_sees_an_upstream_error_as_ClientResultException_with_its_status()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { retries: 0 }");
        host.Fake.Enqueue(UpstreamFault.Status(503));

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]));

        error.Status.ShouldBe(503);
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Message.ShouldStartWith("That model is currently overloaded");
        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Sdk_sees_a_context_length_error_as_ClientResultException_400_with_the_providers_message()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]));

        error.Status.ShouldBe(400);
        error.Message.ShouldContain("maximum context length");
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Code.ShouldBe("context_length_exceeded");
        body.Param.ShouldBe("messages");
    }
}
