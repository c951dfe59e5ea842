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

/// <summary>
/// The official OpenAI .NET SDK against the gateway with Google Gemini upstream: every request and answer is
/// translated between chat completions and <c>generateContent</c>, streams included.
/// </summary>
public sealed class GeminiUpstreamTests
{
    private const string GeminiKey = "AIza-gateway-test-key";
    private const string Model = "gemini-2.5-flash";
    private const string WeatherSchema = """{"type":"object","additionalProperties":false,"properties":{"location":{"type":"string","description":"The city and state"}},"required":["location"]}""";

    [Fact]
    public async Task Plain_text_comes_back_with_googles_id_model_and_usage_with_cached_and_reasoning_tokens()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);

        var result = await Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]);
        var completion = result.Value;

        completion.Content.Single().Text.ShouldBe(FakeGeminiUpstream.CompletionText);
        completion.Id.ShouldBe(FakeGeminiUpstream.ResponseId);
        completion.Model.ShouldBe(Model);
        completion.Role.ShouldBe(ChatMessageRole.Assistant);
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.ShouldBe(FakeGeminiUpstream.PromptTokenCount);
        completion.Usage.OutputTokenCount.ShouldBe(FakeGeminiUpstream.CandidatesTokenCount + FakeGeminiUpstream.ThoughtsTokenCount);
        completion.Usage.TotalTokenCount.ShouldBe(FakeGeminiUpstream.TotalTokenCount);
        completion.Usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeGeminiUpstream.CachedContentTokenCount);
        completion.Usage.OutputTokenDetails.ReasoningTokenCount.ShouldBe(FakeGeminiUpstream.ThoughtsTokenCount);

        result.GetRawResponse().Headers.TryGetValue("x-switchboard-provider", out var provider).ShouldBeTrue();
        provider.ShouldBe("google");
        var sent = gemini.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe($"/v1beta/models/{Model}:generateContent");
        sent.Query.ShouldBe("", "the key goes in a header, never in the URL");
        sent.Headers["x-goog-api-key"].ShouldBe(GeminiKey);
        using var body = sent.ParseBody();
        body.RootElement.GetProperty("contents")[0].GetProperty("parts")[0].GetProperty("text").GetString().ShouldBe("Hello!");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_system_prompt_becomes_the_system_instruction()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);

        var completion = (await Client(host).CompleteChatAsync([new SystemChatMessage("You are a cat. Your name is Neko."), new UserChatMessage("Hello there")])).Value;

        completion.Content.Single().Text.ShouldBe(FakeGeminiUpstream.CompletionText);
        using var body = gemini.Requests.Single().ParseBody();
        body.RootElement.GetProperty("systemInstruction").GetProperty("parts")[0].GetProperty("text").GetString().ShouldBe("You are a cat. Your name is Neko.");
        var contents = body.RootElement.GetProperty("contents");
        contents.GetArrayLength().ShouldBe(1);
        contents[0].GetProperty("role").GetString().ShouldBe("user");
    }

    [Fact]
    public async Task Image_parts_become_inline_data_and_file_data()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        await Client(host).CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in these images?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.jpg"), ChatImageDetailLevel.High))]);

        using var body = gemini.Requests.Single().ParseBody();
        var parts = body.RootElement.GetProperty("contents")[0].GetProperty("parts");
        parts[0].GetProperty("text").GetString().ShouldBe("What is in these images?");
        parts[1].GetProperty("inlineData").GetProperty("mimeType").GetString().ShouldBe("image/png");
        parts[1].GetProperty("inlineData").GetProperty("data").GetString().ShouldBe(Convert.ToBase64String(png));
        parts[2].GetProperty("fileData").GetProperty("mimeType").GetString().ShouldBe("image/jpeg");
        parts[2].GetProperty("fileData").GetProperty("fileUri").GetString().ShouldBe("https://example.com/cat.jpg");
    }

    [Fact]
    public async Task A_tool_call_and_its_result_fed_back_round_trip_through_gemini_3()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        // Gemini 3 checks thought signatures on the function calls sent back, and the schema subset on the tools.
        var client = Client(host, "gemini-3-pro-preview");
        var options = new ChatCompletionOptions { Tools = { WeatherTool() } };
        List<ChatMessage> messages = [new UserChatMessage("What's the weather like in Boston today?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        var call = first.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe($"call_{FakeGeminiUpstream.ResponseId}_0");
        call.FunctionName.ShouldBe("get_current_weather");
        call.FunctionArguments.ToString().ShouldBe(FakeGeminiUpstream.ToolArguments);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "72F and sunny"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeGeminiUpstream.ToolResultText("72F and sunny"));
        second.FinishReason.ShouldBe(ChatFinishReason.Stop);
        using var sent = gemini.Requests[1].ParseBody();
        var contents = sent.RootElement.GetProperty("contents");
        contents[1].GetProperty("role").GetString().ShouldBe("model");
        contents[1].GetProperty("parts")[0].GetProperty("functionCall").GetProperty("name").GetString().ShouldBe("get_current_weather");
        contents[1].GetProperty("parts")[0].GetProperty("functionCall").GetProperty("args").GetProperty("location").GetString().ShouldBe("Boston, MA");
        contents[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString().ShouldBe("get_current_weather");
        var declaration = sent.RootElement.GetProperty("tools")[0].GetProperty("functionDeclarations")[0];
        declaration.GetProperty("parameters").TryGetProperty("additionalProperties", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Parallel_tool_calls_come_back_together_and_their_results_go_back_in_one_turn()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        var client = Client(host);
        var options = new ChatCompletionOptions
        {
            Tools =
            {
                WeatherTool(),
                ChatTool.CreateFunctionTool("get_current_time", "Get the time in a given location", BinaryData.FromString(WeatherSchema)),
            },
        };
        List<ChatMessage> messages = [new UserChatMessage("Weather and time in Boston?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        first.ToolCalls.Select(c => c.FunctionName).ShouldBe(["get_current_weather", "get_current_time"]);
        first.ToolCalls.Select(c => c.Id).Distinct().Count().ShouldBe(2);
        first.ToolCalls.ShouldAllBe(c => c.FunctionArguments.ToString() == FakeGeminiUpstream.ToolArguments);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "72F"));
        messages.Add(new ToolChatMessage(first.ToolCalls[1].Id, "9:41 AM"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeGeminiUpstream.ToolResultText("72F, 9:41 AM"));
        using var sent = gemini.Requests[1].ParseBody();
        var answers = sent.RootElement.GetProperty("contents")[2].GetProperty("parts");
        answers.EnumerateArray().Select(p => p.GetProperty("functionResponse").GetProperty("name").GetString()).ShouldBe(["get_current_weather", "get_current_time"]);
    }

    [Fact]
    public async Task Streamed_text_arrives_as_deltas_with_usage_on_the_last_update()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")]))
            updates.Add(update);

        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)).ShouldBe(FakeGeminiUpstream.StreamText);
        updates.Select(u => u.CompletionId).Distinct().ShouldBe([FakeGeminiUpstream.StreamResponseId]);
        updates.Where(u => u.FinishReason is not null).Select(u => u.FinishReason).ShouldBe([ChatFinishReason.Stop]);
        var usage = updates[^1].Usage;
        usage.ShouldNotBeNull();
        usage.InputTokenCount.ShouldBe(FakeGeminiUpstream.PromptTokenCount);
        usage.OutputTokenCount.ShouldBe(FakeGeminiUpstream.CandidatesTokenCount + FakeGeminiUpstream.ThoughtsTokenCount);
        usage.TotalTokenCount.ShouldBe(FakeGeminiUpstream.TotalTokenCount);
        usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeGeminiUpstream.CachedContentTokenCount);
        usage.OutputTokenDetails.ReasoningTokenCount.ShouldBe(FakeGeminiUpstream.ThoughtsTokenCount);

        var sent = gemini.Requests.Single();
        sent.Path.ShouldBe($"/v1beta/models/{Model}:streamGenerateContent");
        sent.Query.ShouldBe("?alt=sse");
    }

    [Fact]
    public async Task A_stream_is_passed_on_as_it_arrives_not_after_it_ends()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        var gate = gemini.HoldStream();

        await using var updates = Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")]).GetAsyncEnumerator();
        var text = new StringBuilder();
        while (text.Length == 0 && await updates.MoveNextAsync())
            foreach (var part in updates.Current.ContentUpdate) text.Append(part.Text);

        text.ToString().ShouldBe(FakeGeminiUpstream.StreamTextDeltas[0]);
        gate.IsReleased.ShouldBeFalse();
        gate.Release();
        while (await updates.MoveNextAsync())
            foreach (var part in updates.Current.ContentUpdate) text.Append(part.Text);
        text.ToString().ShouldBe(FakeGeminiUpstream.StreamText);
    }

    [Fact]
    public async Task Streamed_tool_call_arguments_arrive_complete()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
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
        id.ShouldBe($"call_{FakeGeminiUpstream.StreamResponseId}_0");
        arguments.ToString().ShouldBe(FakeGeminiUpstream.ToolArguments);
        finish.ShouldBe(ChatFinishReason.ToolCalls);
        JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("location").GetString().ShouldBe("Boston, MA");
    }

    [Fact]
    public async Task Streamed_parallel_tool_calls_keep_their_indexes()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        var options = new ChatCompletionOptions
        {
            Tools = { WeatherTool(), ChatTool.CreateFunctionTool("get_current_time", "Time", BinaryData.FromString(WeatherSchema)) },
        };

        var calls = new SortedDictionary<int, (string? Name, StringBuilder Arguments)>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Weather and time?")], options))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(toolUpdate.Index, out var call)) calls[toolUpdate.Index] = call = (toolUpdate.FunctionName, new StringBuilder());
                if (toolUpdate.FunctionArgumentsUpdate is { } fragment) call.Arguments.Append(fragment.ToString());
            }
        }

        calls.Keys.ShouldBe([0, 1]);
        calls.Values.Select(c => c.Name).ShouldBe(["get_current_weather", "get_current_time"]);
        calls.Values.ShouldAllBe(c => c.Arguments.ToString() == FakeGeminiUpstream.ToolArguments);
    }

    [Fact]
    public async Task Thoughts_asked_for_with_reasoning_effort_stream_as_reasoning_content()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true,\"reasoning_effort\":\"low\""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        payloads[^1].ShouldBe("[DONE]");
        var reasoning = new StringBuilder();
        foreach (var payload in payloads.SkipLast(1))
        {
            using var chunk = JsonDocument.Parse(payload);
            if (chunk.RootElement.GetProperty("choices") is { } choices && choices.GetArrayLength() > 0
                && choices[0].GetProperty("delta").TryGetProperty("reasoning_content", out var text))
                reasoning.Append(text.GetString());
        }
        reasoning.ToString().ShouldBe(FakeGeminiUpstream.ThoughtText);
        Sse.Content(payloads).ShouldBe(FakeGeminiUpstream.StreamText);
        using var sent = gemini.Requests.Single().ParseBody();
        sent.RootElement.GetProperty("generationConfig").GetProperty("thinkingConfig").GetProperty("includeThoughts").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_blocked_prompt_finishes_with_the_content_filter()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);

        var completion = (await Client(host).CompleteChatAsync([new UserChatMessage(FakeGeminiUpstream.BlockedPrompt)])).Value;

        completion.FinishReason.ShouldBe(ChatFinishReason.ContentFilter);
        completion.Refusal.ShouldContain("SAFETY");
    }

    public static TheoryData<int, string, string> ErrorStatuses => new()
    {
        { 400, "invalid_request_error", "Request contains an invalid argument." },
        { 401, "authentication_error", "Request had invalid authentication credentials." },
        { 403, "authentication_error", "The caller does not have permission" },
        { 404, "invalid_request_error", $"models/{Model} is not found for API version v1beta" },
        { 429, "rate_limit_error", FakeGeminiUpstream.RateLimitMessage },
        { 500, "api_error", "An internal error has occurred." },
        { 503, "api_error", FakeGeminiUpstream.OverloadedMessage },
        { 504, "timeout_error", "Deadline expired before operation could complete." },
    };

    [Theory]
    [MemberData(nameof(ErrorStatuses))]
    public async Task Each_error_keeps_googles_status_and_message(int status, string type, string message)
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        gemini.Enqueue(UpstreamFault.Status(status));

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]));

        error.Status.ShouldBe(status);
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Message.ShouldStartWith(message);
        body.Type.ShouldBe(type);
        gemini.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_prompt_over_the_context_window_is_a_400_with_googles_message()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        gemini.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]));

        error.Status.ShouldBe(400);
        OpenAIError.Parse(error.GetRawResponse()!.Content.ToString()).Message.ShouldBe(FakeGeminiUpstream.ContextWindowMessage);
    }

    [Fact]
    public async Task A_key_google_does_not_know_is_an_authentication_error_that_never_shows_the_key()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini, FakeGeminiUpstream.InvalidApiKey);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Type.ShouldBe("authentication_error");
        error.Message.ShouldBe(FakeGeminiUpstream.ApiKeyInvalidMessage);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(FakeGeminiUpstream.InvalidApiKey);
        response.AllHeaders().ShouldNotContain(FakeGeminiUpstream.InvalidApiKey);
    }

    [Fact]
    public async Task A_rate_limit_keeps_googles_retry_after()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        gemini.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(26)));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Type.ShouldBe("rate_limit_error");
        response.Headers.RetryAfter?.Delta.ShouldBe(TimeSpan.FromSeconds(26));
    }

    [Fact]
    public async Task A_stream_cut_before_its_finishing_chunk_ends_with_an_error_event()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        gemini.Enqueue(UpstreamFault.CutStreamAfter(2));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        payloads.ShouldNotContain("[DONE]");
        Sse.Content(payloads.SkipLast(1)).ShouldBe(string.Concat(FakeGeminiUpstream.StreamTextDeltas.Take(2)));
        var error = OpenAIError.Parse(payloads[^1]);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldContain("Google Gemini");
    }

    [Fact]
    public async Task A_garbled_answer_is_a_502_not_a_silent_success()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        gemini.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
    }

    [Fact]
    public async Task A_stream_garbled_from_its_first_chunk_is_a_whole_502()
    {
        await using var gemini = await FakeGeminiUpstream.StartAsync();
        await using var host = await StartAsync(gemini);
        gemini.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));

        // Nothing reached the client before the bad chunk, so it still gets a whole error rather than a broken stream.
        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldContain("not valid JSON");
    }

    private static Task<GatewayHost> StartAsync(FakeGeminiUpstream gemini, string key = GeminiKey) =>
        // Retries off: these tests read each provider error as the client gets it, not a retry's answer.
        GatewayHost.StartAsync($"resilience: {{ retries: 0 }}\nproviders:\n  google:\n    base_url: {gemini.BaseUrl}\n", env => env["GEMINI_API_KEY"] = key);

    private static ChatClient Client(GatewayHost host, string model = Model) =>
        new(model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.V1,
            // The SDK retries 429 and 5xx on its own; the gateway's answer must be seen as it is.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static ChatTool WeatherTool() =>
        ChatTool.CreateFunctionTool("get_current_weather", "Get the current weather in a given location", BinaryData.FromString(WeatherSchema));
}
