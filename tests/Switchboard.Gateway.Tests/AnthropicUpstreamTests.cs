using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>The official OpenAI .NET SDK against the gateway, with Anthropic's Messages API (the fake) as the upstream: translated both ways.</summary>
public sealed class AnthropicUpstreamTests
{
    private const string Model = "claude-sonnet-4-5";
    private const string WeatherSchema = """{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}""";
    private const string TimeSchema = """{"type":"object","properties":{"timezone":{"type":"string"}},"required":["timezone"]}""";

    private static ChatClient Client(AnthropicGatewayHost host, string model = Model) =>
        new(model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.Gateway.V1,
            // The SDK retries 429 and 5xx on its own; the gateway's answer must be seen as it is.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static ChatTool WeatherTool() =>
        ChatTool.CreateFunctionTool("get_weather", "Get the current weather in a given location", BinaryData.FromString(WeatherSchema));

    private static ChatTool TimeTool() =>
        ChatTool.CreateFunctionTool("get_time", "Get the current time in a time zone", BinaryData.FromString(TimeSchema));

    private static JsonElement SentBody(AnthropicGatewayHost host, int index = 0)
    {
        using var document = host.Anthropic.Requests[index].ParseBody();
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Plain_text_comes_back_as_a_chat_completion_with_the_cache_counted_in_the_usage()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        var result = await Client(host).CompleteChatAsync([new UserChatMessage("Hello, Claude")]);
        var completion = result.Value;

        completion.Content.Single().Text.ShouldBe(FakeAnthropicUpstream.CompletionText);
        completion.Id.ShouldBe(FakeAnthropicUpstream.MessageId);
        completion.Model.ShouldBe(Model);
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.ShouldBe(FakeAnthropicUpstream.PromptTokens);
        completion.Usage.OutputTokenCount.ShouldBe(FakeAnthropicUpstream.OutputTokens);
        completion.Usage.TotalTokenCount.ShouldBe(FakeAnthropicUpstream.PromptTokens + FakeAnthropicUpstream.OutputTokens);
        completion.Usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeAnthropicUpstream.CacheReadInputTokens);

        var raw = result.GetRawResponse();
        raw.Headers.TryGetValue("x-switchboard-provider", out var provider).ShouldBeTrue();
        provider.ShouldBe("anthropic");
        raw.Headers.TryGetValue("x-switchboard-cost-usd", out var cost).ShouldBeTrue("the catalog prices claude-sonnet-4-5");
        cost.ShouldNotBeNullOrEmpty();

        var sent = host.Anthropic.Requests.Single();
        sent.Path.ShouldBe("/v1/messages");
        sent.Headers["x-api-key"].ShouldBe(AnthropicGatewayHost.AnthropicKey);
        sent.Headers["anthropic-version"].ShouldBe("2023-06-01");
        sent.Headers.ContainsKey("authorization").ShouldBeFalse();
        SentBody(host).GetRawText().ShouldBe("""{"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":"Hello, Claude"}]}""");
    }

    [Fact]
    public async Task The_system_prompt_goes_to_the_top_level_system_and_limits_and_stops_take_anthropics_names()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 300, Temperature = 0.2f, StopSequences = { "END" }, EndUserId = "user-7" };

        var completion = (await Client(host).CompleteChatAsync([new SystemChatMessage("Answer in French."), new UserChatMessage("Hello")], options)).Value;

        completion.Content.Single().Text.ShouldBe(FakeAnthropicUpstream.CompletionText);
        var body = SentBody(host);
        body.GetProperty("system").GetString().ShouldBe("Answer in French.");
        body.GetProperty("messages").GetRawText().ShouldBe("""[{"role":"user","content":"Hello"}]""");
        body.GetProperty("max_tokens").GetInt32().ShouldBe(300);
        body.GetProperty("temperature").GetDouble().ShouldBe(0.2, 0.0001);
        body.GetProperty("stop_sequences").GetRawText().ShouldBe("""["END"]""");
        body.GetProperty("metadata").GetRawText().ShouldBe("""{"user_id":"user-7"}""");
    }

    [Fact]
    public async Task Image_parts_become_image_blocks_inline_and_by_url()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");
        UserChatMessage message = new(
            ChatMessageContentPart.CreateTextPart("What is in these images?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg")));

        await Client(host).CompleteChatAsync([message]);

        var content = SentBody(host).GetProperty("messages")[0].GetProperty("content");
        content[0].GetRawText().ShouldBe("""{"type":"text","text":"What is in these images?"}""");
        content[1].GetProperty("source").GetRawText().ShouldBe(
            """{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="}""");
        content[2].GetProperty("source").GetRawText().ShouldBe(
            """{"type":"url","url":"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"}""");
    }

    [Fact]
    public async Task A_tool_call_and_its_result_fed_back_round_trip_as_tool_use_and_tool_result()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var client = Client(host);
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        List<ChatMessage> messages = [new UserChatMessage("What's the weather like in Paris?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        first.Content.Single().Text.ShouldBe(FakeAnthropicUpstream.ToolPreamble);
        var call = first.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe(FakeAnthropicUpstream.ToolUseId);
        call.FunctionName.ShouldBe("get_weather");
        call.FunctionArguments.ToString().ShouldBe(FakeAnthropicUpstream.ToolInput);
        SentBody(host).GetProperty("tools").GetRawText().ShouldBe(
            """[{"name":"get_weather","description":"Get the current weather in a given location","input_schema":""" + WeatherSchema + "}]");

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18C and cloudy"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeAnthropicUpstream.ToolResultText("18C and cloudy"));
        second.FinishReason.ShouldBe(ChatFinishReason.Stop);
        var sent = SentBody(host, 1).GetProperty("messages");
        sent.GetArrayLength().ShouldBe(3);
        sent[1].GetRawText().ShouldBe(
            $$$"""{"role":"assistant","content":[{"type":"text","text":"{{{FakeAnthropicUpstream.ToolPreamble}}}"},{"type":"tool_use","id":"{{{FakeAnthropicUpstream.ToolUseId}}}","name":"get_weather","input":{"location":"Paris"}}]}""");
        sent[2].GetRawText().ShouldBe(
            $$$"""{"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{FakeAnthropicUpstream.ToolUseId}}}","content":"18C and cloudy"}]}""");
    }

    [Fact]
    public async Task Parallel_tool_calls_come_back_together_and_their_results_go_up_in_one_user_turn()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var client = Client(host);
        var options = new ChatCompletionOptions { Tools = { WeatherTool(), TimeTool() } };
        List<ChatMessage> messages = [new UserChatMessage("Weather and time in Paris?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.ToolCalls.Select(c => (c.Id, c.FunctionName, c.FunctionArguments.ToString())).ShouldBe(
        [
            (FakeAnthropicUpstream.ToolUseId, "get_weather", FakeAnthropicUpstream.ToolInput),
            (FakeAnthropicUpstream.SecondToolUseId, "get_time", FakeAnthropicUpstream.SecondToolInput),
        ]);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "18C"));
        messages.Add(new ToolChatMessage(first.ToolCalls[1].Id, "14:05"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeAnthropicUpstream.ToolResultText(["18C", "14:05"]));
        var turn = SentBody(host, 1).GetProperty("messages")[2];
        turn.GetProperty("role").GetString().ShouldBe("user");
        turn.GetProperty("content").EnumerateArray().Select(b => b.GetProperty("tool_use_id").GetString())
            .ShouldBe([FakeAnthropicUpstream.ToolUseId, FakeAnthropicUpstream.SecondToolUseId]);
    }

    [Fact]
    public async Task Parallel_tool_calls_false_and_a_named_tool_choice_become_anthropics_tool_choice()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var options = new ChatCompletionOptions
        {
            Tools = { WeatherTool(), TimeTool() },
            ToolChoice = ChatToolChoice.CreateFunctionChoice("get_time"),
            AllowParallelToolCalls = false,
        };

        var completion = (await Client(host).CompleteChatAsync([new UserChatMessage("Time?")], options)).Value;

        completion.ToolCalls.ShouldHaveSingleItem().FunctionName.ShouldBe("get_time");
        SentBody(host).GetProperty("tool_choice").GetRawText().ShouldBe("""{"type":"tool","name":"get_time","disable_parallel_tool_use":true}""");
    }

    [Fact]
    public async Task Streaming_text_arrives_as_deltas_with_the_usage_on_the_last_update()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello")]))
            updates.Add(update);

        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)).ShouldBe(FakeAnthropicUpstream.StreamText);
        updates.Select(u => u.CompletionId).Distinct().ShouldBe([FakeAnthropicUpstream.StreamMessageId]);
        updates.Last(u => u.FinishReason is not null).FinishReason.ShouldBe(ChatFinishReason.Stop);
        var usage = updates[^1].Usage.ShouldNotBeNull();
        usage.InputTokenCount.ShouldBe(FakeAnthropicUpstream.PromptTokens);
        usage.OutputTokenCount.ShouldBe(FakeAnthropicUpstream.OutputTokens);
        usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeAnthropicUpstream.CacheReadInputTokens);
        SentBody(host).GetProperty("stream").GetBoolean().ShouldBeTrue();
        host.Anthropic.Requests.Single().Headers["accept"].ShouldContain("text/event-stream");
    }

    [Fact]
    public async Task Streamed_tool_call_arguments_arrive_complete_for_each_parallel_call()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var options = new ChatCompletionOptions { Tools = { WeatherTool(), TimeTool() } };

        var arguments = new Dictionary<int, StringBuilder>();
        var names = new Dictionary<int, string>();
        var ids = new Dictionary<int, string>();
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Weather and time in Paris?")], options))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                if (toolUpdate.FunctionName is { } name) names[toolUpdate.Index] = name;
                if (toolUpdate.ToolCallId is { } id) ids[toolUpdate.Index] = id;
                if (toolUpdate.FunctionArgumentsUpdate is { } fragment && !fragment.ToMemory().IsEmpty)
                    (arguments.TryGetValue(toolUpdate.Index, out var builder) ? builder : arguments[toolUpdate.Index] = new StringBuilder()).Append(fragment.ToString());
            }
            finish ??= update.FinishReason;
        }

        text.ToString().ShouldBe(FakeAnthropicUpstream.ToolPreamble);
        names.ShouldBe(new Dictionary<int, string> { [0] = "get_weather", [1] = "get_time" });
        ids.ShouldBe(new Dictionary<int, string> { [0] = FakeAnthropicUpstream.ToolUseId, [1] = FakeAnthropicUpstream.SecondToolUseId });
        arguments[0].ToString().ShouldBe(FakeAnthropicUpstream.ToolInput);
        arguments[1].ToString().ShouldBe(FakeAnthropicUpstream.SecondToolInput);
        JsonDocument.Parse(arguments[0].ToString()).RootElement.GetProperty("location").GetString().ShouldBe("Paris");
        finish.ShouldBe(ChatFinishReason.ToolCalls);
    }

    [Fact]
    public async Task Reasoning_effort_turns_on_thinking_and_its_tokens_show_as_reasoning_tokens()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
#pragma warning disable OPENAI001 // Reasoning effort is marked experimental in the SDK.
        var options = new ChatCompletionOptions { ReasoningEffortLevel = ChatReasoningEffortLevel.Low };
#pragma warning restore OPENAI001

        var completion = (await Client(host).CompleteChatAsync([new UserChatMessage("Hello")], options)).Value;

        completion.Content.Single().Text.ShouldBe(FakeAnthropicUpstream.CompletionText);
        completion.Usage.OutputTokenDetails.ReasoningTokenCount.ShouldBe(FakeAnthropicUpstream.ThinkingTokens);
        SentBody(host).GetProperty("thinking").GetRawText().ShouldBe("""{"type":"enabled","budget_tokens":1024}""");

        var streamed = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello")], options)) streamed.Add(update);
        streamed[^1].Usage.ShouldNotBeNull().OutputTokenDetails.ReasoningTokenCount.ShouldBe(FakeAnthropicUpstream.ThinkingTokens);
    }

    [Fact]
    public async Task Thinking_reaches_an_openai_client_as_reasoning_content_whole_and_streamed()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        const string body = """{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}],"thinking":{"type":"enabled","budget_tokens":2048}}""";

        using var whole = await host.Gateway.PostChatAsync(body);
        using var message = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        var choice = message.RootElement.GetProperty("choices")[0].GetProperty("message");
        choice.GetProperty("reasoning_content").GetString().ShouldBe(FakeAnthropicUpstream.ThinkingText);
        choice.GetProperty("thinking_blocks")[0].GetProperty("signature").GetString().ShouldBe(FakeAnthropicUpstream.ThinkingSignature);
        SentBody(host).GetProperty("thinking").GetRawText().ShouldBe("""{"type":"enabled","budget_tokens":2048}""");

        using var streamed = await host.Gateway.PostChatAsync(body.Replace("}}", "},\"stream\":true}", StringComparison.Ordinal));
        var reasoning = new StringBuilder();
        foreach (var payload in Sse.DataPayloads(await streamed.Content.ReadAsStringAsync()).Where(p => p != "[DONE]"))
        {
            using var chunk = JsonDocument.Parse(payload);
            if (chunk.RootElement.GetProperty("choices") is { ValueKind: JsonValueKind.Array } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("reasoning_content", out var piece))
                reasoning.Append(piece.GetString());
        }
        reasoning.ToString().ShouldBe(FakeAnthropicUpstream.ThinkingText);
    }

    [Theory]
    [InlineData(400, "invalid_request_error", "messages: at least one message is required")]
    [InlineData(401, "authentication_error", "invalid x-api-key")]
    [InlineData(403, "authentication_error", "Your API key does not have permission to use the specified resource.")]
    [InlineData(404, "invalid_request_error", "model: claude-sonnet-4-5")]
    [InlineData(413, "invalid_request_error", "Request exceeds the maximum allowed number of bytes.")]
    [InlineData(429, "rate_limit_error", FakeAnthropicUpstream.RateLimitMessage)]
    [InlineData(500, "api_error", "Internal server error")]
    [InlineData(504, "timeout_error", "Request timed out.")]
    [InlineData(529, "api_error", FakeAnthropicUpstream.OverloadedMessage)]
    public async Task Each_anthropic_error_keeps_its_status_and_message(int status, string type, string message)
    {
        await using var host = await AnthropicGatewayHost.StartAsync("resilience: { retries: 0 }");
        host.Anthropic.Enqueue(UpstreamFault.Status(status));

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello")]));

        error.Status.ShouldBe(status);
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Message.ShouldBe(message);
        body.Type.ShouldBe(type);
    }

    [Fact]
    public async Task A_prompt_too_long_is_a_400_with_anthropics_message()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello")]));

        error.Status.ShouldBe(400);
        OpenAIError.Parse(error.GetRawResponse()!.Content.ToString()).Message.ShouldBe(FakeAnthropicUpstream.ContextWindowMessage);
    }

    [Fact]
    public async Task Output_blocked_by_anthropics_content_filter_is_a_400_with_its_message()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.Enqueue(UpstreamFault.Status(400, body: """{"type":"error","error":{"type":"invalid_request_error","message":"Output blocked by content filtering policy"},"request_id":"req_1"}"""));

        using var response = await host.Gateway.PostChatAsync(GatewayHost.ChatBody(Model));

        (await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest)).Message.ShouldBe("Output blocked by content filtering policy");
    }

    [Fact]
    public async Task An_anthropic_upstream_slower_than_the_timeout_is_a_504()
    {
        await using var host = await AnthropicGatewayHost.StartAsync("resilience: { response_timeout: 1s, retries: 0 }");
        host.Anthropic.Enqueue(UpstreamFault.Delay(TimeSpan.FromSeconds(10)));

        using var response = await host.Gateway.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.GatewayTimeout);
        error.Type.ShouldBe("timeout_error");
        error.Message.ShouldStartWith("Anthropic did not answer within 1s");
    }

    [Fact]
    public async Task A_rate_limit_passes_on_retry_after()
    {
        await using var host = await AnthropicGatewayHost.StartAsync("resilience: { retries: 0 }");
        host.Anthropic.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(9)));

        using var response = await host.Gateway.PostChatAsync(GatewayHost.ChatBody(Model));

        (await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests)).Type.ShouldBe("rate_limit_error");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task Overloaded_mid_stream_ends_the_stream_with_an_error_event_naming_anthropics_error()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.FailNextStream();

        using var response = await host.Gateway.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Sse.Content(payloads.Where(p => !p.Contains("\"error\"", StringComparison.Ordinal))).ShouldBe(FakeAnthropicUpstream.StreamTextDeltas[0]);
        payloads.ShouldNotContain("[DONE]");
        var error = OpenAIError.Parse(payloads[^1]);
        error.Message.ShouldContain("overloaded_error: Overloaded");
    }

    [Fact]
    public async Task A_cut_stream_ends_with_an_error_event_never_a_silent_done()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.Enqueue(UpstreamFault.CutStreamAfter(4));

        using var response = await host.Gateway.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        payloads.ShouldNotContain("[DONE]");
        // Cut mid-stream, the connection breaks off (or ends) without message_stop: either way an error, never [DONE].
        OpenAIError.Parse(payloads[^1]).Message.ShouldStartWith("Anthropic sent a malformed response for model claude-sonnet-4-5: the stream");
    }

    [Fact]
    public async Task A_malformed_message_or_stream_event_is_a_502()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.Gateway.PostChatAsync(GatewayHost.ChatBody(Model));

        (await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway)).Code.ShouldBe("upstream_malformed");
    }

    [Fact]
    public async Task The_stream_is_translated_as_it_arrives_not_buffered()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var gate = host.Anthropic.HoldStream();

        using var response = await host.Gateway.PostRawAsync(Encoding.UTF8.GetBytes(GatewayHost.ChatBody(Model, "\"stream\":true")), completion: HttpCompletionOption.ResponseHeadersRead);
        await gate.FirstChunkSent.WaitAsync(TimeSpan.FromSeconds(10));
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var read = await body.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Encoding.UTF8.GetString(buffer, 0, read).ShouldContain("\"role\":\"assistant\"", customMessage: "message_start went out before the rest of the stream was released");
        gate.IsReleased.ShouldBeFalse();
        gate.Release();
    }
}
