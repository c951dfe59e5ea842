using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models;
using Anthropic.Models.Messages;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// The official Anthropic .NET SDK against the gateway's <c>/v1/messages</c>: with an Anthropic upstream the request
/// and answer pass through untouched but for the model; with an OpenAI upstream both are translated.
/// </summary>
public sealed class AnthropicEndpointTests
{
    private const string Claude = "claude-sonnet-4-5";

    /// <summary>Keeps the body of every request the SDK sends, to compare with what reaches the upstream.</summary>
    private sealed class SentBodies : DelegatingHandler
    {
        public SentBodies() : base(new SocketsHttpHandler()) { }

        public List<byte[]> Bodies { get; } = [];

        /// <summary>The <c>anthropic-version</c> the SDK sent last.</summary>
        public string? Version { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("anthropic-version", out var versions)) Version = versions.Single();
            if (request.Content is not null)
            {
                var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                lock (Bodies) Bodies.Add(body);
            }
            return await base.SendAsync(request, cancellationToken);
        }
    }

    private static AnthropicClient Client(AnthropicGatewayHost host, SentBodies? sent = null) => new(new ClientOptions
    {
        BaseUrl = host.Gateway.Url.ToString().TrimEnd('/'),
        ApiKey = "sk-ant-client-not-checked",
        // The SDK retries 429, 529 and 5xx on its own; the gateway's answer must be seen as it is.
        MaxRetries = 0,
        HttpClient = new HttpClient(sent ?? new SentBodies()),
    });

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Get the current weather in a given location",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["location"] = JsonElement.Parse("""{"type":"string","description":"The city and state, e.g. San Francisco, CA"}""") },
            Required = ["location"],
        },
    };

    private static MessageCreateParams Ask(string model, string text, int maxTokens = 1024) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam { Content = text }],
    };

    private static string Text(Message message) => string.Concat(message.Content.Select(b => b.TryPickText(out var text) ? text.Text : ""));

    private static JsonElement Json(RecordedRequest request)
    {
        using var document = request.ParseBody();
        return document.RootElement.Clone();
    }

    // ---- Anthropic upstream: pass-through ----

    [Fact]
    public async Task With_an_anthropic_upstream_the_request_reaches_it_byte_identical_but_for_the_model()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var sent = new SentBodies();
        var parameters = new MessageCreateParams
        {
            Model = "anthropic/" + Claude,
            MaxTokens = 4096,
            System = new List<TextBlockParam> { new("You are a careful assistant.") { CacheControl = new CacheControlEphemeral() } },
            Thinking = new ThinkingConfigEnabled(2048),
            Messages =
            [
                new UserMessageParam { Content = "What is 2 + 2?" },
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ThinkingBlockParam { Thinking = "Simple arithmetic.", Signature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds..." },
                        new TextBlockParam("4."),
                    },
                },
                new UserMessageParam { Content = new List<ContentBlockParam> { new TextBlockParam("And 3 + 3?") { CacheControl = new CacheControlEphemeral() } } },
            ],
        };

        var message = await Client(host, sent).Messages.Create(parameters);

        Text(message).ShouldBe(FakeAnthropicUpstream.CompletionText);
        message.ID.ShouldBe(FakeAnthropicUpstream.MessageId);
        message.Content[0].TryPickThinking(out var thinking).ShouldBeTrue("the thinking block comes back untouched");
        thinking!.Signature.ShouldBe(FakeAnthropicUpstream.ThinkingSignature);

        var clientBody = Encoding.UTF8.GetString(sent.Bodies.Single());
        var upstream = host.Anthropic.Requests.Single();
        clientBody.ShouldContain("\"model\":\"anthropic/claude-sonnet-4-5\"");
        upstream.BodyText.ShouldBe(clientBody.Replace("\"model\":\"anthropic/claude-sonnet-4-5\"", "\"model\":\"claude-sonnet-4-5\"", StringComparison.Ordinal));
        upstream.BodyText.ShouldContain("\"cache_control\":{\"type\":\"ephemeral\"}");
        upstream.BodyText.ShouldContain("\"signature\":\"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds...\"");
        upstream.Path.ShouldBe("/v1/messages");
        upstream.Headers["x-api-key"].ShouldBe(AnthropicGatewayHost.AnthropicKey, "the gateway's key goes upstream, never the client's");
        sent.Version.ShouldNotBeNullOrEmpty();
        upstream.Headers["anthropic-version"].ShouldBe(sent.Version, "the version the client wrote its body for goes along with it");
    }

    [Fact]
    public async Task With_an_anthropic_upstream_usage_comes_back_with_its_cache_reads_and_writes()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        var message = await Client(host).Messages.Create(Ask(Claude, "Hello"));

        message.Usage.InputTokens.ShouldBe(FakeAnthropicUpstream.InputTokens);
        message.Usage.CacheReadInputTokens.ShouldBe(FakeAnthropicUpstream.CacheReadInputTokens);
        message.Usage.CacheCreationInputTokens.ShouldBe(FakeAnthropicUpstream.CacheCreationInputTokens);
        message.Usage.OutputTokens.ShouldBe(FakeAnthropicUpstream.OutputTokens);
        message.StopReason!.Value().ShouldBe(StopReason.EndTurn);
    }

    [Fact]
    public async Task With_an_anthropic_upstream_the_stream_is_relayed_byte_for_byte()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        const string body = """{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}],"messages":[{"role":"user","content":"Weather in Paris?"}]}""";
        using var direct = new HttpClient { BaseAddress = host.Anthropic.BaseUrl };
        using var expected = await direct.PostAsync("v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        using var response = await host.PostMessagesAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        (await response.Content.ReadAsStringAsync()).ShouldBe(await expected.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_an_anthropic_upstream_a_streamed_tool_call_aggregates_to_its_whole_input()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var parameters = Ask(Claude, "What's the weather in Paris?") with { Tools = [WeatherTool()] };

        var message = await Client(host).Messages.CreateStreaming(parameters).Aggregate();

        Text(message).ShouldBe(FakeAnthropicUpstream.ToolPreamble);
        message.StopReason!.Value().ShouldBe(StopReason.ToolUse);
        var toolUse = message.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).OfType<ToolUseBlock>().Single();
        toolUse.ID.ShouldBe(FakeAnthropicUpstream.ToolUseId);
        toolUse.Input["location"].GetString().ShouldBe("Paris");
        message.Usage.OutputTokens.ShouldBe(FakeAnthropicUpstream.OutputTokens);
        message.Usage.CacheReadInputTokens.ShouldBe(FakeAnthropicUpstream.CacheReadInputTokens);
    }

    [Theory]
    [InlineData(400, ErrorType.InvalidRequestError, "messages: at least one message is required")]
    [InlineData(401, ErrorType.AuthenticationError, "invalid x-api-key")]
    [InlineData(403, ErrorType.PermissionError, "Your API key does not have permission to use the specified resource.")]
    [InlineData(404, ErrorType.NotFoundError, "model: claude-sonnet-4-5")]
    [InlineData(429, ErrorType.RateLimitError, FakeAnthropicUpstream.RateLimitMessage)]
    [InlineData(500, ErrorType.ApiError, "Internal server error")]
    [InlineData(504, ErrorType.TimeoutError, "Request timed out.")]
    [InlineData(529, ErrorType.OverloadedError, FakeAnthropicUpstream.OverloadedMessage)]
    public async Task With_an_anthropic_upstream_each_error_keeps_its_status_type_and_message(int status, ErrorType type, string message)
    {
        await using var host = await AnthropicGatewayHost.StartAsync("resilience: { retries: 0 }");
        host.Anthropic.Enqueue(UpstreamFault.Status(status));

        var error = await Should.ThrowAsync<AnthropicApiException>(() => Client(host).Messages.Create(Ask(Claude, "Hello")));

        ((int)error.StatusCode).ShouldBe(status);
        error.Type!.Value().ShouldBe(type);
        using var body = JsonDocument.Parse(error.ResponseBody);
        body.RootElement.GetProperty("type").GetString().ShouldBe("error");
        body.RootElement.GetProperty("error").GetProperty("message").GetString().ShouldBe(message);
    }

    [Fact]
    public async Task A_prompt_too_long_keeps_anthropics_400_and_message()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await Should.ThrowAsync<AnthropicBadRequestException>(() => Client(host).Messages.Create(Ask(Claude, "Hello")));

        error.Type!.Value().ShouldBe(ErrorType.InvalidRequestError);
        error.ResponseBody.ShouldContain(FakeAnthropicUpstream.ContextWindowMessage);
    }

    [Fact]
    public async Task An_overloaded_error_mid_stream_reaches_the_sdk_as_anthropics_error_event()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.Anthropic.FailNextStream();
        var text = new StringBuilder();

        var error = await Should.ThrowAsync<AnthropicSseException>(async () =>
        {
            await foreach (var e in Client(host).Messages.CreateStreaming(Ask(Claude, "Hello")))
            {
                if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var piece)) text.Append(piece.Text);
            }
        });

        text.ToString().ShouldBe(FakeAnthropicUpstream.StreamTextDeltas[0]);
        error.Type!.Value().ShouldBe(ErrorType.OverloadedError);
        error.Message.ShouldContain(FakeAnthropicUpstream.OverloadedMessage);
    }

    // ---- OpenAI upstream: translated ----

    [Fact]
    public async Task With_an_openai_upstream_a_message_is_translated_both_ways()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var parameters = Ask("gpt-4o-mini", "Hello!", maxTokens: 300) with
        {
            System = "You are terse.",
            StopSequences = ["END"],
            Metadata = new Metadata { UserID = "user-42" },
        };

        var message = await Client(host).Messages.Create(parameters);

        Text(message).ShouldBe(FakeOpenAIUpstream.CompletionText);
        message.ID.ShouldBe("msg_" + FakeOpenAIUpstream.CompletionId["chatcmpl-".Length..]);
        message.Model.Raw().ShouldBe("gpt-4o-mini");
        message.StopReason!.Value().ShouldBe(StopReason.EndTurn);
        message.Usage.InputTokens.ShouldBe(FakeOpenAIUpstream.PromptTokens - FakeOpenAIUpstream.CachedTokens);
        message.Usage.CacheReadInputTokens.ShouldBe(FakeOpenAIUpstream.CachedTokens);
        message.Usage.OutputTokens.ShouldBe(FakeOpenAIUpstream.CompletionTokens);

        var sent = Json(host.OpenAI.Requests.Single());
        sent.GetProperty("messages").GetRawText().ShouldBe("""[{"role":"system","content":"You are terse."},{"role":"user","content":"Hello!"}]""");
        sent.GetProperty("max_tokens").GetInt32().ShouldBe(300);
        sent.GetProperty("stop").GetRawText().ShouldBe("""["END"]""");
        sent.GetProperty("user").GetString().ShouldBe("user-42");
        host.OpenAI.Requests.Single().Headers["authorization"].ShouldBe("Bearer " + GatewayHost.OpenAIKey);
    }

    [Fact]
    public async Task With_an_openai_upstream_an_image_block_becomes_an_image_url_part()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var parameters = new MessageCreateParams
        {
            Model = "gpt-4o-mini",
            MaxTokens = 100,
            Messages =
            [
                new UserMessageParam
                {
                    Content = new List<ContentBlockParam>
                    {
                        new ImageBlockParam(new Base64ImageSource { Data = "iVBORw0KGgo=", MediaType = MediaType.ImagePng }),
                        new TextBlockParam("What is this?"),
                    },
                },
            ],
        };

        await Client(host).Messages.Create(parameters);

        Json(host.OpenAI.Requests.Single()).GetProperty("messages")[0].GetProperty("content").GetRawText().ShouldBe(
            """[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"text","text":"What is this?"}]""");
    }

    [Fact]
    public async Task With_an_openai_upstream_a_tool_call_and_its_result_round_trip()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var client = Client(host);
        var ask = Ask("gpt-4o-mini", "What's the weather like in Boston today?") with
        {
            Tools = [WeatherTool()],
            ToolChoice = new ToolChoiceAuto { DisableParallelToolUse = true },
        };

        var first = await client.Messages.Create(ask);

        first.StopReason!.Value().ShouldBe(StopReason.ToolUse);
        var toolUse = first.Content.Single().TryPickToolUse(out var call) ? call! : throw new ShouldAssertException("no tool_use block");
        toolUse.ID.ShouldBe(FakeOpenAIUpstream.ToolCallId);
        toolUse.Name.ShouldBe("get_weather");
        toolUse.Input["location"].GetString().ShouldBe("Boston, MA");
        var sentTools = Json(host.OpenAI.Requests[0]);
        sentTools.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString().ShouldBe("location");
        sentTools.GetProperty("tool_choice").GetString().ShouldBe("auto");
        sentTools.GetProperty("parallel_tool_calls").GetBoolean().ShouldBeFalse();

        var second = await client.Messages.Create(ask with
        {
            Messages =
            [
                .. ask.Messages,
                new AssistantMessageParam
                {
                    Content = new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } },
                },
                new UserMessageParam { Content = new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "72F and sunny" } } },
            ],
        });

        Text(second).ShouldBe(FakeOpenAIUpstream.ToolResultText("72F and sunny"));
        var messages = Json(host.OpenAI.Requests[1]).GetProperty("messages");
        messages[1].GetProperty("tool_calls")[0].GetProperty("id").GetString().ShouldBe(FakeOpenAIUpstream.ToolCallId);
        messages[1].GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString().ShouldBe("""{"location":"Boston, MA"}""");
        messages[2].GetRawText().ShouldBe($$"""{"role":"tool","content":"72F and sunny","tool_call_id":"{{FakeOpenAIUpstream.ToolCallId}}"}""");
    }

    [Fact]
    public async Task With_an_openai_upstream_streamed_text_arrives_as_anthropic_events_with_usage()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var text = new StringBuilder();
        var events = new List<string>();
        MessageDeltaUsage? usage = null;

        await foreach (var e in Client(host).Messages.CreateStreaming(Ask("gpt-4o-mini", "Hello!")))
        {
            events.Add(e.Type.Raw());
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var piece)) text.Append(piece.Text);
            if (e.TryPickDelta(out var messageDelta)) usage = messageDelta.Usage;
        }

        text.ToString().ShouldBe(FakeOpenAIUpstream.StreamText);
        events[0].ShouldBe("message_start");
        events[^1].ShouldBe("message_stop");
        events.Count(e => e == "content_block_start").ShouldBe(1);
        usage.ShouldNotBeNull();
        usage.OutputTokens.ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        usage.InputTokens.ShouldBe(FakeOpenAIUpstream.PromptTokens - FakeOpenAIUpstream.CachedTokens);
        usage.CacheReadInputTokens.ShouldBe(FakeOpenAIUpstream.CachedTokens);
        Json(host.OpenAI.Requests.Single()).GetProperty("stream_options").GetProperty("include_usage").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task With_an_openai_upstream_a_streamed_tool_call_input_arrives_complete_never_empty()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var partials = new StringBuilder();
        var parameters = Ask("gpt-4o-mini", "Weather in Boston?") with { Tools = [WeatherTool()] };
        var events = new List<RawMessageStreamEvent>();

        await foreach (var e in Client(host).Messages.CreateStreaming(parameters))
        {
            events.Add(e);
            if (e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickInputJson(out var json)) partials.Append(json.PartialJson);
        }
        var message = await events.ToAsyncEnumerable().Aggregate();

        partials.ToString().ShouldBe(FakeOpenAIUpstream.ToolArguments);
        var toolUse = message.Content.Select(b => b.TryPickToolUse(out var t) ? t : null).OfType<ToolUseBlock>().Single();
        toolUse.ID.ShouldBe(FakeOpenAIUpstream.ToolCallId);
        toolUse.Name.ShouldBe("get_weather");
        toolUse.Input.Count.ShouldBe(1, "the input is the whole arguments object, never {}");
        toolUse.Input["location"].GetString().ShouldBe("Boston, MA");
        message.StopReason!.Value().ShouldBe(StopReason.ToolUse);
        message.Usage.InputTokens.ShouldBe(FakeOpenAIUpstream.PromptTokens - FakeOpenAIUpstream.CachedTokens, "message_delta carries the prompt's count, known only at the end");
        message.Usage.CacheReadInputTokens.ShouldBe(FakeOpenAIUpstream.CachedTokens);
        message.Usage.OutputTokens.ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        message.Usage.OutputTokensDetails!.ThinkingTokens.ShouldBe(FakeOpenAIUpstream.ReasoningTokens);
    }

    [Theory]
    [InlineData(401, ErrorType.AuthenticationError, "Incorrect API key provided")]
    [InlineData(429, ErrorType.RateLimitError, "Rate limit reached for gpt-4o-mini")]
    [InlineData(500, ErrorType.ApiError, "The server had an error while processing your request.")]
    [InlineData(503, ErrorType.OverloadedError, "That model is currently overloaded")]
    public async Task With_an_openai_upstream_errors_come_back_in_anthropics_shape_with_the_providers_status_and_message(int status, ErrorType type, string message)
    {
        await using var host = await AnthropicGatewayHost.StartAsync("resilience: { retries: 0 }");
        host.OpenAI.Enqueue(UpstreamFault.Status(status));

        var error = await Should.ThrowAsync<AnthropicApiException>(() => Client(host).Messages.Create(Ask("gpt-4o-mini", "Hello")));

        ((int)error.StatusCode).ShouldBe(status);
        error.Type!.Value().ShouldBe(type);
        using var body = JsonDocument.Parse(error.ResponseBody);
        body.RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldStartWith(message);
    }

    [Fact]
    public async Task With_an_openai_upstream_a_context_length_error_is_an_invalid_request_400()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.OpenAI.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await Should.ThrowAsync<AnthropicBadRequestException>(() => Client(host).Messages.Create(Ask("gpt-4o-mini", "Hello")));

        error.Type!.Value().ShouldBe(ErrorType.InvalidRequestError);
        error.ResponseBody.ShouldContain("maximum context length");
    }

    [Fact]
    public async Task With_an_openai_upstream_a_cut_stream_ends_with_an_error_event_not_message_stop()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        host.OpenAI.Enqueue(UpstreamFault.CutStreamAfter(3));

        using var response = await host.PostMessagesAsync("""{"model":"gpt-4o-mini","max_tokens":100,"stream":true,"messages":[{"role":"user","content":"Hello"}]}""");
        var sse = await response.Content.ReadAsStringAsync();

        sse.ShouldStartWith("event: message_start\n");
        sse.ShouldNotContain("message_stop");
        sse.ShouldContain("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"OpenAI sent a malformed response for model gpt-4o-mini: the stream");
    }

    // ---- The endpoint's own answers ----

    [Fact]
    public async Task A_request_without_max_tokens_is_refused_in_anthropics_shape()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        using var response = await host.PostMessagesAsync("""{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}]}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("type").GetString().ShouldBe("error");
        body.RootElement.GetProperty("error").GetProperty("type").GetString().ShouldBe("invalid_request_error");
        body.RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldStartWith("'max_tokens' is required");
        host.Anthropic.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_provider_without_a_key_is_an_authentication_error_naming_the_variable()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        var error = await Should.ThrowAsync<AnthropicUnauthorizedException>(() => Client(host).Messages.Create(Ask("gemini-2.5-pro", "Hello")));

        error.Type!.Value().ShouldBe(ErrorType.AuthenticationError);
        error.ResponseBody.ShouldContain("GEMINI_API_KEY");
    }

    [Fact]
    public async Task Count_tokens_answers_an_estimate_of_the_input_tokens()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();
        var parameters = new MessageCountTokensParams
        {
            Model = Claude,
            System = "You are a scientist.",
            Messages = [new UserMessageParam { Content = "Explain the theory of relativity in one paragraph, please." }],
        };

        var count = await Client(host).Messages.CountTokens(parameters);

        count.InputTokens.ShouldBeInRange(15, 60);
        host.Anthropic.Requests.ShouldBeEmpty("the count is an estimate made by the gateway");
    }
}
