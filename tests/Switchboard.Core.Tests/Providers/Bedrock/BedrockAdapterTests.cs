using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Execution;
using Switchboard.Providers;
using Switchboard.Providers.Bedrock;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Bedrock;

/// <summary>
/// The adapter's calls against <see cref="FakeBedrockUpstream"/>, which checks every Signature Version 4 with its own,
/// separately written verifier, and against a handler that shows exactly what goes on the wire.
/// </summary>
public sealed class BedrockAdapterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    private FakeBedrockUpstream _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBedrockUpstream.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_signed_converse_call_is_accepted_and_its_answer_read()
    {
        using var runtime = Runtime();
        var adapter = new BedrockAdapter(new ManualTimeProvider(Now));

        using var response = await SendAsync(runtime, adapter, """{"model":"m","messages":[{"role":"user","content":"Hello!"}]}""", stream: false);

        response.StatusCode.ShouldBe(200);
        var answer = adapter.ReadResponse(await ReadAllAsync(response.Body));
        answer.Choices[0].Message.Content!.Text.ShouldBe(FakeBedrockUpstream.CompletionText);
        ChatUsageMapping.ToTokenUsage(answer.Usage!).Input.ShouldBe(FakeBedrockUpstream.WholePromptTokens);

        var request = _fake.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse");
        request.Headers["x-amz-date"].ShouldBe("20260304T050607Z");
        request.Headers["authorization"].ShouldStartWith(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260304/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=");
        request.Headers["content-type"].ShouldBe("application/json");
        request.Headers["accept"].ShouldBe("application/json");
        request.Headers.ContainsKey("x-amz-security-token").ShouldBeFalse();
        request.BodyText.ShouldBe("""{"messages":[{"role":"user","content":[{"text":"Hello!"}]}]}""");
    }

    [Fact]
    public async Task A_session_token_is_sent_and_signed()
    {
        using var runtime = Runtime(env => env["AWS_SESSION_TOKEN"] = FakeBedrockUpstream.SessionToken);

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, """{"model":"m","messages":[{"role":"user","content":"Hello!"}]}""", stream: false);

        response.StatusCode.ShouldBe(200);
        var request = _fake.Requests.ShouldHaveSingleItem();
        request.Headers["x-amz-security-token"].ShouldBe(FakeBedrockUpstream.SessionToken);
        request.Headers["authorization"].ShouldContain("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,");
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_like_aws_and_the_error_keeps_its_type_and_message()
    {
        using var runtime = Runtime(env => env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret");
        var target = Target(runtime);

        using var result = await runtime.Executor.SendAsync(target, Body(runtime, """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", false), false, CancellationToken.None);
        result.Response.StatusCode.ShouldBe(403);
        var error = await UpstreamErrors.ReadAsync(result, CancellationToken.None);

        error.Category.ShouldBe(ErrorCategory.Authentication);
        error.StatusCode.ShouldBe(403);
        error.Message.ShouldStartWith("The request signature we calculated does not match the signature you provided.");
        error.Provider.ShouldBe("bedrock");
    }

    [Fact]
    public async Task Another_access_key_is_an_unrecognized_client()
    {
        using var runtime = Runtime(env => env["AWS_ACCESS_KEY_ID"] = "AKIAOTHERKEY00000000");

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", stream: false);

        response.StatusCode.ShouldBe(403);
        var body = await ReadAllAsync(response.Body);
        Encoding.UTF8.GetString(body).ShouldBe("""{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}""");
        BedrockAdapter.Instance.Classify(403, body).ShouldBe(ErrorCategory.Authentication);
    }

    [Fact]
    public async Task A_streamed_call_decodes_the_event_stream_as_it_arrives()
    {
        using var runtime = Runtime();

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, """{"model":"m","messages":[{"role":"user","content":"Hello!"}],"stream":true}""", stream: true);

        response.StatusCode.ShouldBe(200);
        response.ContentType.ShouldBe("application/vnd.amazon.eventstream");
        var (sink, decoder) = await DecodeAsync(response.Body);
        sink.Text().ShouldBe(FakeBedrockUpstream.StreamText);
        decoder.Completed.ShouldBeTrue();
        decoder.Malformed.ShouldBeNull();
        decoder.Usage.ShouldBe(new TokenUsage(FakeBedrockUpstream.WholePromptTokens, FakeBedrockUpstream.OutputTokens,
            CachedInput: FakeBedrockUpstream.CacheReadInputTokens, CacheWrite: FakeBedrockUpstream.CacheWriteInputTokens));
        var request = _fake.Requests.ShouldHaveSingleItem();
        request.Path.ShouldEndWith("/converse-stream");
        request.Headers["accept"].ShouldBe("application/vnd.amazon.eventstream");
    }

    [Fact]
    public async Task A_tool_call_and_its_result_fed_back_make_a_round_trip()
    {
        using var runtime = Runtime();
        const string Tool = """{"type":"function","function":{"name":"top_song","parameters":{"type":"object","properties":{"sign":{"type":"string"}},"required":["sign"]}}}""";

        using var first = await SendAsync(runtime, BedrockAdapter.Instance, $$$"""{"model":"m","messages":[{"role":"user","content":"Top song on WZPZ?"}],"tools":[{{{Tool}}}]}""", stream: false);
        var call = BedrockAdapter.Instance.ReadResponse(await ReadAllAsync(first.Body)).Choices[0];
        call.FinishReason.ShouldBe(FinishReasons.ToolCalls);
        call.Message.Content!.Text.ShouldBe(FakeBedrockUpstream.ToolCallPreamble);
        var toolCall = call.Message.ToolCalls.ShouldHaveSingleItem();
        toolCall.Id.ShouldBe(FakeBedrockUpstream.ToolUseId(0));
        toolCall.Function.Arguments.ShouldBe(FakeBedrockUpstream.ToolInput);

        var text = JsonSerializer.Serialize(call.Message.Content.Text);
        var arguments = JsonSerializer.Serialize(toolCall.Function.Arguments);
        var followUp = $$$"""
            {"model":"m","tools":[{{{Tool}}}],"messages":[
              {"role":"user","content":"Top song on WZPZ?"},
              {"role":"assistant","content":{{{text}}},"tool_calls":[{"id":"{{{toolCall.Id}}}","type":"function","function":{"name":"top_song","arguments":{{{arguments}}}}}]},
              {"role":"tool","tool_call_id":"{{{toolCall.Id}}}","content":"Elemental Hotel by 8 Storey Hike"}]}
            """;
        using var second = await SendAsync(runtime, BedrockAdapter.Instance, followUp, stream: false);

        second.StatusCode.ShouldBe(200);
        BedrockAdapter.Instance.ReadResponse(await ReadAllAsync(second.Body)).Choices[0].Message.Content!.Text
            .ShouldBe(FakeBedrockUpstream.ToolResultText("Elemental Hotel by 8 Storey Hike"));
    }

    [Fact]
    public async Task Parallel_tool_uses_stream_as_numbered_tool_calls_with_complete_arguments()
    {
        using var runtime = Runtime();
        const string Request = """
            {"model":"m","stream":true,"messages":[{"role":"user","content":"Top songs on WZPZ and WKRP?"}],
             "tools":[{"type":"function","function":{"name":"top_song"}},{"type":"function","function":{"name":"top_artist"}}]}
            """;

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, Request, stream: true);
        var (sink, decoder) = await DecodeAsync(response.Body);

        sink.Events.Where(e => e.Kind == StreamEventKind.ToolCallStart).Select(e => (e.ToolIndex, e.Id, e.Name))
            .ShouldBe([(0, FakeBedrockUpstream.ToolUseId(0), "top_song"), (1, FakeBedrockUpstream.ToolUseId(1), "top_artist")]);
        sink.Arguments(0).ShouldBe(FakeBedrockUpstream.StreamToolInput);
        sink.Arguments(1).ShouldBe(FakeBedrockUpstream.StreamToolInput);
        sink.Events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.ToolCalls);
        decoder.Completed.ShouldBeTrue();
    }

    [Theory]
    [InlineData(429, ErrorCategory.RateLimited, "Too many requests, please wait before trying again.")]
    [InlineData(403, ErrorCategory.Authentication, "You don't have access to the model with the specified model ID.")]
    [InlineData(404, ErrorCategory.NotFound, "Model not found: the specified model ID does not exist in this Region.")]
    [InlineData(408, ErrorCategory.Timeout, "Model has timed out in processing the request. Try your request again.")]
    [InlineData(500, ErrorCategory.Unavailable, "The system encountered an unexpected error during processing. Try your request again.")]
    [InlineData(503, ErrorCategory.Unavailable, "The service isn't currently available. Try again later.")]
    public async Task Errors_keep_bedrocks_status_and_message(int status, ErrorCategory category, string message)
    {
        using var runtime = Runtime();
        _fake.Enqueue(UpstreamFault.Status(status));

        var error = await ErrorAsync(runtime);

        error.Category.ShouldBe(category);
        error.StatusCode.ShouldBe(status);
        error.Message.ShouldBe(message);
    }

    [Fact]
    public async Task A_prompt_too_long_is_the_context_window()
    {
        using var runtime = Runtime();
        _fake.Enqueue(UpstreamFault.ContextLengthExceeded());

        var error = await ErrorAsync(runtime);

        error.Category.ShouldBe(ErrorCategory.ContextWindowExceeded);
        error.Message.ShouldBe("Input is too long for requested model.");
    }

    [Fact]
    public async Task An_exception_mid_stream_leaves_the_stream_malformed_with_its_message()
    {
        using var runtime = Runtime();
        _fake.EnqueueStreamException("throttlingException", "Too many tokens, please wait before trying again.", eventsBefore: 2);

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, """{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true);
        var (sink, decoder) = await DecodeAsync(response.Body);

        sink.Text().ShouldBe(FakeBedrockUpstream.StreamTextDeltas[0]);
        decoder.Malformed.ShouldBe("Bedrock ended the stream with throttlingException: Too many tokens, please wait before trying again.");
        decoder.Completed.ShouldBeFalse();
    }

    [Fact]
    public async Task A_cut_stream_is_not_complete()
    {
        using var runtime = Runtime();
        _fake.Enqueue(UpstreamFault.CutStreamAfter(3));

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, """{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true);
        var decoder = new BedrockStreamDecoder();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await response.Body.ReadAsync(buffer)) > 0) decoder.Decode(buffer.AsSpan(0, read), new RecordingSink());
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            // The connection was dropped mid-stream, as the fault intends.
        }

        decoder.Completed.ShouldBeFalse();
    }

    [Fact]
    public async Task An_invalid_event_is_malformed()
    {
        using var runtime = Runtime();
        _fake.Enqueue(UpstreamFault.InvalidJson());

        using var response = await SendAsync(runtime, BedrockAdapter.Instance, """{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}""", stream: true);
        var (_, decoder) = await DecodeAsync(response.Body);

        decoder.Malformed.ShouldBe("the provider sent a contentBlockDelta event that is not valid JSON");
    }

    [Fact]
    public async Task The_model_id_travels_percent_encoded_and_the_host_is_the_one_signed()
    {
        var handler = new CapturingHandler();
        using var runtime = Runtime(handler: handler);

        using var response = await SendAsync(runtime, new BedrockAdapter(new ManualTimeProvider(Now)), """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", stream: false);

        var request = handler.Requests.ShouldHaveSingleItem();
        request.RequestUri!.AbsolutePath.ShouldBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        request.RequestUri.PathAndQuery.ShouldBe("/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
        request.Headers.Host.ShouldBe(_fake.BaseUrl.Authority);
    }

    [Theory]
    [InlineData(null, "eu-west-1", "anthropic.claude-3-5-sonnet-20240620-v1:0", false,
        "https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse")]
    [InlineData(null, "us-east-1", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20240620-v1:0", true,
        "https://bedrock-runtime.us-east-1.amazonaws.com/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream")]
    [InlineData("https://vpce-0123.bedrock-runtime.us-east-1.vpce.amazonaws.com/", "us-east-1", "amazon.nova-lite-v1:0", false,
        "https://vpce-0123.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/amazon.nova-lite-v1%3A0/converse")]
    public void The_endpoint_comes_from_the_region_or_the_base_url(string? baseUrl, string region, string model, bool stream, string expected)
    {
        var uri = BedrockAdapter.Endpoint(baseUrl is null ? null : new Uri(baseUrl), region, model, stream);

        uri.AbsoluteUri.ShouldBe(expected);
        uri.PathAndQuery.ShouldBe(new Uri(expected).PathAndQuery);
    }

    [Fact]
    public void The_registry_gives_bedrock_providers_this_adapter_and_their_aws_settings()
    {
        using var runtime = Runtime(env => env["AWS_SESSION_TOKEN"] = "token");
        var provider = Target(runtime).Provider;

        provider.Adapter.ShouldBeSameAs(BedrockAdapter.Instance);
        provider.Adapter!.Dialect.ShouldBe(WireDialect.Bedrock);
        provider.IsEnabled.ShouldBeTrue();
        provider.Settings["AWS_REGION"].ShouldBe(FakeBedrockUpstream.Region);
        provider.Settings["AWS_SESSION_TOKEN"].ShouldBe("token");
    }

    private SwitchboardRuntime Runtime(Action<Dictionary<string, string?>>? environment = null, CapturingHandler? handler = null)
    {
        var env = FakeBedrockUpstream.Environment.ToDictionary(p => p.Key, p => (string?)p.Value);
        environment?.Invoke(env);
        string? Lookup(string name) => env.GetValueOrDefault(name);
        var yaml = $"providers:\n  bedrock:\n    base_url: {_fake.BaseUrl}\n";
        return new SwitchboardRuntime(ConfigLoader.Parse(yaml, "switchboard.yaml", Lookup), new ManualTimeProvider(Now), Lookup,
            handler is null ? null : () => handler);
    }

    private static ModelResolution Target(SwitchboardRuntime runtime) => runtime.Resolver.Resolve("bedrock/" + FakeBedrockUpstream.ModelId);

    private static ReadOnlyMemory<byte> Body(SwitchboardRuntime runtime, string openAiRequest, bool stream)
    {
        var request = JsonSerializer.Deserialize(openAiRequest, ChatJsonContext.Default.ChatRequest)!;
        var output = new ArrayBufferWriter<byte>();
        Target(runtime).Provider.Adapter!.WriteRequest(request, FakeBedrockUpstream.ModelId, stream, output);
        return output.WrittenMemory;
    }

    private static Task<UpstreamResponse> SendAsync(SwitchboardRuntime runtime, BedrockAdapter adapter, string openAiRequest, bool stream)
    {
        var target = Target(runtime);
        return adapter.SendAsync(new UpstreamCall(target.Provider, target.Provider.Credentials.Next(), target.Model, Body(runtime, openAiRequest, stream), stream), CancellationToken.None);
    }

    private static async Task<SwitchboardException> ErrorAsync(SwitchboardRuntime runtime)
    {
        var target = Target(runtime);
        using var result = await runtime.Executor.SendAsync(target, Body(runtime, """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", false), false, CancellationToken.None);
        return await UpstreamErrors.ReadAsync(result, CancellationToken.None);
    }

    private static async Task<byte[]> ReadAllAsync(Stream body)
    {
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Decodes a body read in small pieces, so frames arrive split.</summary>
    private static async Task<(RecordingSink Sink, BedrockStreamDecoder Decoder)> DecodeAsync(Stream body)
    {
        var sink = new RecordingSink();
        var decoder = new BedrockStreamDecoder();
        var buffer = new byte[37];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0) decoder.Decode(buffer.AsSpan(0, read), sink);
        return (sink, decoder);
    }

    /// <summary>Records what goes on the wire and answers a plain Converse text answer.</summary>
    private sealed class CapturingHandler : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent("""{"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn"}""", Encoding.UTF8, "application/json"),
            });
        }
    }
}
