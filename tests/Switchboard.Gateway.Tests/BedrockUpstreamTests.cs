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
/// The official OpenAI .NET SDK against the gateway with AWS Bedrock upstream: every request is translated into a
/// Converse body and signed with Signature Version 4 (the fake checks each signature), every answer translated back,
/// streams decoded from AWS's binary event stream as they arrive.
/// </summary>
public sealed class BedrockUpstreamTests
{
    private const string Model = "bedrock/" + FakeBedrockUpstream.ModelId;
    private const string SongSchema = """{"type":"object","properties":{"sign":{"type":"string","description":"The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP."}},"required":["sign"]}""";

    [Fact]
    public async Task Plain_text_comes_back_with_usage_counting_cache_reads_and_writes_in_the_prompt()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);

        var result = await Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]);
        var completion = result.Value;

        completion.Content.Single().Text.ShouldBe(FakeBedrockUpstream.CompletionText);
        completion.Id.ShouldStartWith("chatcmpl-bedrock-");
        completion.Role.ShouldBe(ChatMessageRole.Assistant);
        completion.FinishReason.ShouldBe(ChatFinishReason.Stop);
        completion.Usage.InputTokenCount.ShouldBe(FakeBedrockUpstream.WholePromptTokens);
        completion.Usage.OutputTokenCount.ShouldBe(FakeBedrockUpstream.OutputTokens);
        completion.Usage.TotalTokenCount.ShouldBe(FakeBedrockUpstream.TotalTokens);
        completion.Usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeBedrockUpstream.CacheReadInputTokens);

        result.GetRawResponse().Headers.TryGetValue("x-switchboard-provider", out var provider).ShouldBeTrue();
        provider.ShouldBe("bedrock");
        var sent = bedrock.Requests.ShouldHaveSingleItem();
        sent.Path.ShouldBe($"/model/{FakeBedrockUpstream.ModelId}/converse");
        sent.Headers["authorization"].ShouldStartWith($"AWS4-HMAC-SHA256 Credential={FakeBedrockUpstream.AccessKeyId}/");
        sent.Headers["authorization"].ShouldContain("/us-east-1/bedrock/aws4_request, ");
        using var body = sent.ParseBody();
        body.RootElement.TryGetProperty("model", out _).ShouldBeFalse("the model travels in the path");
        body.RootElement.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("Hello!");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_system_prompt_becomes_the_system_blocks_and_sampling_the_inference_config()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 512, Temperature = 0.5f, TopP = 0.9f, StopSequences = { "END" } };

        var completion = (await Client(host).CompleteChatAsync(
            [new SystemChatMessage("You are an app that creates playlists for a radio station."), new UserChatMessage("Create a list of 3 pop songs.")], options)).Value;

        completion.Content.Single().Text.ShouldBe(FakeBedrockUpstream.CompletionText);
        using var body = bedrock.Requests.Single().ParseBody();
        body.RootElement.GetProperty("system")[0].GetProperty("text").GetString().ShouldBe("You are an app that creates playlists for a radio station.");
        var messages = body.RootElement.GetProperty("messages");
        messages.GetArrayLength().ShouldBe(1);
        messages[0].GetProperty("role").GetString().ShouldBe("user");
        var config = body.RootElement.GetProperty("inferenceConfig");
        config.GetProperty("maxTokens").GetInt32().ShouldBe(512);
        config.GetProperty("temperature").GetDouble().ShouldBe(0.5, 1e-6);
        config.GetProperty("topP").GetDouble().ShouldBe(0.9, 1e-6);
        config.GetProperty("stopSequences")[0].GetString().ShouldBe("END");
    }

    [Fact]
    public async Task An_image_part_goes_inline_as_its_bytes()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0xFB, 0xFF };

        await Client(host).CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in this image?"),
            ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        using var body = bedrock.Requests.Single().ParseBody();
        var content = body.RootElement.GetProperty("messages")[0].GetProperty("content");
        content[0].GetProperty("text").GetString().ShouldBe("What is in this image?");
        content[1].GetProperty("image").GetProperty("format").GetString().ShouldBe("png");
        content[1].GetProperty("image").GetProperty("source").GetProperty("bytes").GetString().ShouldBe(Convert.ToBase64String(png));
    }

    [Fact]
    public async Task An_image_by_url_is_a_400_saying_bedrock_needs_inline_images()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage(
            ChatMessageContentPart.CreateTextPart("What is in this image?"),
            ChatMessageContentPart.CreateImagePart(new Uri("https://example.com/cat.jpg")))]));

        error.Status.ShouldBe(400);
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Type.ShouldBe("invalid_request_error");
        body.Message.ShouldStartWith("Bedrock needs inline images");
        bedrock.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_tool_call_and_its_result_fed_back_round_trip()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var client = Client(host);
        var options = new ChatCompletionOptions { Tools = { SongTool() } };
        List<ChatMessage> messages = [new UserChatMessage("What is the most popular song on WZPZ?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        first.Content.Single().Text.ShouldBe(FakeBedrockUpstream.ToolCallPreamble);
        var call = first.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe(FakeBedrockUpstream.ToolUseId(0));
        call.FunctionName.ShouldBe("top_song");
        call.FunctionArguments.ToString().ShouldBe(FakeBedrockUpstream.ToolInput);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "Elemental Hotel by 8 Storey Hike"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeBedrockUpstream.ToolResultText("Elemental Hotel by 8 Storey Hike"));
        second.FinishReason.ShouldBe(ChatFinishReason.Stop);
        using var sent = bedrock.Requests[1].ParseBody();
        var turns = sent.RootElement.GetProperty("messages");
        turns[1].GetProperty("role").GetString().ShouldBe("assistant");
        var toolUse = turns[1].GetProperty("content")[1].GetProperty("toolUse");
        toolUse.GetProperty("toolUseId").GetString().ShouldBe(call.Id);
        toolUse.GetProperty("input").GetProperty("sign").GetString().ShouldBe("WZPZ");
        turns[2].GetProperty("role").GetString().ShouldBe("user");
        turns[2].GetProperty("content")[0].GetProperty("toolResult").GetProperty("toolUseId").GetString().ShouldBe(call.Id);
        var spec = sent.RootElement.GetProperty("toolConfig").GetProperty("tools")[0].GetProperty("toolSpec");
        spec.GetProperty("name").GetString().ShouldBe("top_song");
        spec.GetProperty("inputSchema").GetProperty("json").GetProperty("required")[0].GetString().ShouldBe("sign");
    }

    [Fact]
    public async Task Parallel_tool_calls_come_back_together_and_their_results_go_back_in_one_turn()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var client = Client(host);
        var options = new ChatCompletionOptions { Tools = { SongTool(), ChatTool.CreateFunctionTool("top_artist", "Get the most played artist on a radio station.", BinaryData.FromString(SongSchema)) } };
        List<ChatMessage> messages = [new UserChatMessage("Top song and top artist on WZPZ?")];

        var first = (await client.CompleteChatAsync(messages, options)).Value;

        first.ToolCalls.Select(c => (c.Id, c.FunctionName)).ShouldBe([(FakeBedrockUpstream.ToolUseId(0), "top_song"), (FakeBedrockUpstream.ToolUseId(1), "top_artist")]);
        first.ToolCalls.ShouldAllBe(c => c.FunctionArguments.ToString() == FakeBedrockUpstream.ToolInput);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(first.ToolCalls[0].Id, "Elemental Hotel"));
        messages.Add(new ToolChatMessage(first.ToolCalls[1].Id, "8 Storey Hike"));
        var second = (await client.CompleteChatAsync(messages, options)).Value;

        second.Content.Single().Text.ShouldBe(FakeBedrockUpstream.ToolResultText("Elemental Hotel\n8 Storey Hike"));
        using var sent = bedrock.Requests[1].ParseBody();
        var turns = sent.RootElement.GetProperty("messages");
        turns.GetArrayLength().ShouldBe(3);
        turns[2].GetProperty("content").EnumerateArray().Select(b => b.GetProperty("toolResult").GetProperty("toolUseId").GetString())
            .ShouldBe([first.ToolCalls[0].Id, first.ToolCalls[1].Id]);
    }

    [Fact]
    public async Task Streamed_text_arrives_as_deltas_with_usage_on_the_last_update()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);

        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")]))
            updates.Add(update);

        string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)).ShouldBe(FakeBedrockUpstream.StreamText);
        updates.Select(u => u.CompletionId).Distinct().ShouldHaveSingleItem().ShouldStartWith("chatcmpl-bedrock-");
        updates.Select(u => u.Model).Distinct().ShouldBe([FakeBedrockUpstream.ModelId]);
        updates.Where(u => u.FinishReason is not null).Select(u => u.FinishReason).ShouldBe([ChatFinishReason.Stop]);
        var usage = updates[^1].Usage;
        usage.ShouldNotBeNull();
        usage.InputTokenCount.ShouldBe(FakeBedrockUpstream.WholePromptTokens);
        usage.OutputTokenCount.ShouldBe(FakeBedrockUpstream.OutputTokens);
        usage.TotalTokenCount.ShouldBe(FakeBedrockUpstream.TotalTokens);
        usage.InputTokenDetails.CachedTokenCount.ShouldBe(FakeBedrockUpstream.CacheReadInputTokens);

        var sent = bedrock.Requests.Single();
        sent.Path.ShouldBe($"/model/{FakeBedrockUpstream.ModelId}/converse-stream");
        sent.Headers["accept"].ShouldBe("application/vnd.amazon.eventstream");
    }

    [Fact]
    public async Task A_stream_is_passed_on_as_it_arrives_not_after_it_ends()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var gate = bedrock.HoldStream();

        await using var updates = Client(host).CompleteChatStreamingAsync([new UserChatMessage("Hello!")]).GetAsyncEnumerator();
        var started = await updates.MoveNextAsync();

        started.ShouldBeTrue();
        gate.IsReleased.ShouldBeFalse();
        gate.Release();
        var text = new StringBuilder();
        do
        {
            foreach (var part in updates.Current.ContentUpdate) text.Append(part.Text);
        }
        while (await updates.MoveNextAsync());
        text.ToString().ShouldBe(FakeBedrockUpstream.StreamText);
    }

    [Fact]
    public async Task Streamed_tool_call_arguments_arrive_complete()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var options = new ChatCompletionOptions { Tools = { SongTool() } };

        var arguments = new StringBuilder();
        var text = new StringBuilder();
        string? name = null, id = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Top song on WZPZ?")], options))
        {
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                toolUpdate.Index.ShouldBe(0);
                name ??= toolUpdate.FunctionName;
                id ??= toolUpdate.ToolCallId;
                if (toolUpdate.FunctionArgumentsUpdate is { } fragment) arguments.Append(fragment.ToString());
            }
            finish ??= update.FinishReason;
        }

        text.ToString().ShouldBe(FakeBedrockUpstream.ToolCallPreamble);
        name.ShouldBe("top_song");
        id.ShouldBe(FakeBedrockUpstream.ToolUseId(0));
        arguments.ToString().ShouldBe(FakeBedrockUpstream.StreamToolInput);
        JsonDocument.Parse(arguments.ToString()).RootElement.GetProperty("sign").GetString().ShouldBe("WZPZ");
        finish.ShouldBe(ChatFinishReason.ToolCalls);
    }

    [Fact]
    public async Task Streamed_parallel_tool_calls_keep_their_indexes()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        var options = new ChatCompletionOptions { Tools = { SongTool(), ChatTool.CreateFunctionTool("top_artist", "Top artist", BinaryData.FromString(SongSchema)) } };

        var calls = new SortedDictionary<int, (string? Name, StringBuilder Arguments)>();
        await foreach (var update in Client(host).CompleteChatStreamingAsync([new UserChatMessage("Top song and artist?")], options))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                if (!calls.TryGetValue(toolUpdate.Index, out var call)) calls[toolUpdate.Index] = call = (toolUpdate.FunctionName, new StringBuilder());
                if (toolUpdate.FunctionArgumentsUpdate is { } fragment) call.Arguments.Append(fragment.ToString());
            }
        }

        calls.Keys.ShouldBe([0, 1]);
        calls.Values.Select(c => c.Name).ShouldBe(["top_song", "top_artist"]);
        calls.Values.ShouldAllBe(c => c.Arguments.ToString() == FakeBedrockUpstream.StreamToolInput);
    }

    public static TheoryData<int, string, string> ErrorStatuses => new()
    {
        { 400, "invalid_request_error", "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint" },
        { 403, "authentication_error", "You don't have access to the model with the specified model ID." },
        { 404, "invalid_request_error", "Model not found: the specified model ID does not exist in this Region." },
        { 408, "timeout_error", "Model has timed out in processing the request. Try your request again." },
        { 424, "api_error", "The model returned the following errors: the model could not process the request." },
        { 429, "rate_limit_error", "Too many requests, please wait before trying again." },
        { 500, "api_error", "The system encountered an unexpected error during processing. Try your request again." },
        { 503, "api_error", "The service isn't currently available. Try again later." },
    };

    [Theory]
    [MemberData(nameof(ErrorStatuses))]
    public async Task Each_error_keeps_bedrocks_status_and_message(int status, string type, string message)
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        bedrock.Enqueue(UpstreamFault.Status(status));

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]));

        error.Status.ShouldBe(status);
        var body = OpenAIError.Parse(error.GetRawResponse()!.Content.ToString());
        body.Message.ShouldStartWith(message);
        body.Type.ShouldBe(type);
        bedrock.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_prompt_over_the_context_window_is_a_400_with_bedrocks_message()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        bedrock.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await Should.ThrowAsync<ClientResultException>(() => Client(host).CompleteChatAsync([new UserChatMessage("Hello!")]));

        error.Status.ShouldBe(400);
        OpenAIError.Parse(error.GetRawResponse()!.Content.ToString()).Message.ShouldBe("Input is too long for requested model.");
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_like_aws_and_never_shown()
    {
        const string WrongSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET";
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock, env => env["AWS_SECRET_ACCESS_KEY"] = WrongSecret);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Forbidden);
        error.Type.ShouldBe("authentication_error");
        error.Message.ShouldStartWith("The request signature we calculated does not match the signature you provided.");
        (await response.Content.ReadAsStringAsync()).ShouldNotContain(WrongSecret);
        response.AllHeaders().ShouldNotContain(WrongSecret);
    }

    [Fact]
    public async Task A_session_token_is_sent_and_signed()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock, env => env["AWS_SESSION_TOKEN"] = FakeBedrockUpstream.SessionToken);

        var completion = (await Client(host).CompleteChatAsync([new UserChatMessage("Hello!")])).Value;

        completion.Content.Single().Text.ShouldBe(FakeBedrockUpstream.CompletionText);
        var sent = bedrock.Requests.Single();
        sent.Headers["x-amz-security-token"].ShouldBe(FakeBedrockUpstream.SessionToken);
        sent.Headers["authorization"].ShouldContain(";x-amz-security-token, ");
    }

    [Fact]
    public async Task An_exception_mid_stream_ends_the_stream_with_an_error_event_keeping_bedrocks_message()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        bedrock.EnqueueStreamException("throttlingException", "Too many tokens, please wait before trying again.", eventsBefore: 2);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        payloads.ShouldNotContain("[DONE]");
        Sse.Content(payloads.SkipLast(1)).ShouldBe(FakeBedrockUpstream.StreamTextDeltas[0]);
        var error = OpenAIError.Parse(payloads[^1]);
        error.Message.ShouldContain("throttlingException: Too many tokens, please wait before trying again.");
    }

    [Fact]
    public async Task A_stream_cut_before_its_metadata_ends_with_an_error_event()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        bedrock.Enqueue(UpstreamFault.CutStreamAfter(3));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        payloads.ShouldNotContain("[DONE]");
        Sse.Content(payloads.SkipLast(1)).ShouldBe(string.Concat(FakeBedrockUpstream.StreamTextDeltas.Take(2)));
        var error = OpenAIError.Parse(payloads[^1]);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldContain("AWS Bedrock");
    }

    [Fact]
    public async Task A_garbled_answer_is_a_502_not_a_silent_success()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        bedrock.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
    }

    [Fact]
    public async Task A_stream_garbled_from_its_first_event_is_a_whole_502()
    {
        await using var bedrock = await FakeBedrockUpstream.StartAsync();
        await using var host = await StartAsync(bedrock);
        bedrock.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(Model, "\"stream\":true"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldContain("not valid JSON");
    }

    private static Task<GatewayHost> StartAsync(FakeBedrockUpstream bedrock, Action<Dictionary<string, string?>>? environment = null) =>
        // Retries off: these tests read each provider error as the client gets it, not a retry's answer.
        GatewayHost.StartAsync($"resilience: {{ retries: 0 }}\nproviders:\n  bedrock:\n    base_url: {bedrock.BaseUrl}\n", env =>
        {
            foreach (var (name, value) in FakeBedrockUpstream.Environment) env[name] = value;
            environment?.Invoke(env);
        });

    private static ChatClient Client(GatewayHost host) =>
        new(Model, new ApiKeyCredential("sk-client-not-checked"), new OpenAIClientOptions
        {
            Endpoint = host.V1,
            // The SDK retries 429 and 5xx on its own; the gateway's answer must be seen as it is.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static ChatTool SongTool() =>
        ChatTool.CreateFunctionTool("top_song", "Get the most popular song played on a radio station.", BinaryData.FromString(SongSchema));
}
