using System.Buffers;
using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiAdapterTests
{
    private const string Key = "AIza-test-key";

    [Fact]
    public void The_adapter_speaks_gemini_and_is_the_google_providers()
    {
        using var runtime = TestRuntime.Create(environment: new Dictionary<string, string?> { ["GEMINI_API_KEY"] = Key });
        var provider = runtime.Resolver.Resolve("gemini-2.5-flash").Provider;

        GeminiAdapter.Instance.Dialect.ShouldBe(WireDialect.Gemini);
        provider.Adapter.ShouldBeSameAs(GeminiAdapter.Instance);
        provider.IsEnabled.ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, "gemini-2.5-flash", false, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData(null, "gemini-2.5-flash", true, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")]
    [InlineData("http://127.0.0.1:9/v1beta/", "gemini-2.0-flash-001", false, "http://127.0.0.1:9/v1beta/models/gemini-2.0-flash-001:generateContent")]
    [InlineData("https://proxy.example/gemini/v1", "models/gemini-2.5-pro", true, "https://proxy.example/gemini/v1/models/gemini-2.5-pro:streamGenerateContent?alt=sse")]
    [InlineData(null, "tunedModels/my-model-abc", false, "https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model-abc:generateContent")]
    public void The_endpoint_is_built_from_the_base_url_and_the_model(string? baseUrl, string model, bool stream, string expected)
    {
        GeminiAdapter.Endpoint(baseUrl is null ? null : new Uri(baseUrl), model, stream).AbsoluteUri.ShouldBe(expected);
    }

    [Fact]
    public async Task A_call_posts_to_generate_content_with_the_key_in_a_header_and_the_configured_headers()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);
        var provider = runtime.Providers.Find("google")!;

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(provider, Key, "gemini-2.5-flash", Body("Hello"), Stream: false), CancellationToken.None);
        var body = await ReadAllAsync(response.Body);

        response.StatusCode.ShouldBe(200);
        var request = fake.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/v1beta/models/gemini-2.5-flash:generateContent");
        request.Query.ShouldBe("");
        request.Headers["x-goog-api-key"].ShouldBe(Key);
        request.Headers["x-goog-user-project"].ShouldBe("my-project");
        request.Headers["content-type"].ShouldStartWith("application/json");
        request.Headers.ContainsKey("authorization").ShouldBeFalse();
        var answer = GeminiAdapter.Instance.ReadResponse(body);
        answer.Id.ShouldBe(FakeGeminiUpstream.ResponseId);
        answer.Model.ShouldBe("gemini-2.5-flash");
        answer.Choices[0].Message.Content!.Text.ShouldBe(FakeGeminiUpstream.CompletionText);
        answer.Usage!.PromptTokensDetails!.CachedTokens.ShouldBe(FakeGeminiUpstream.CachedContentTokenCount);
        answer.Usage.CompletionTokensDetails!.ReasoningTokens.ShouldBe(FakeGeminiUpstream.ThoughtsTokenCount);
        answer.Usage.CompletionTokens.ShouldBe(FakeGeminiUpstream.CandidatesTokenCount + FakeGeminiUpstream.ThoughtsTokenCount);
        answer.Usage.TotalTokens.ShouldBe(FakeGeminiUpstream.TotalTokenCount);
    }

    [Fact]
    public async Task A_stream_asks_for_server_sent_events_and_decodes_to_the_end()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);
        var provider = runtime.Providers.Find("google")!;

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(provider, Key, "gemini-2.5-flash", Body("Hello"), Stream: true), CancellationToken.None);
        var (events, decoder) = await DecodeAsync(response);

        var request = fake.Requests.ShouldHaveSingleItem();
        request.Path.ShouldBe("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        request.Query.ShouldBe("?alt=sse");
        request.Headers["accept"].ShouldBe("text/event-stream");
        response.ContentType.ShouldBe("text/event-stream");
        decoder.Completed.ShouldBeTrue();
        events.First().ToString().ShouldBe($"Start({FakeGeminiUpstream.StreamResponseId}, gemini-2.5-flash)");
        events.Where(e => e.Kind == StreamEventKind.TextDelta).Select(e => e.Text).ShouldBe(FakeGeminiUpstream.StreamTextDeltas);
        events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.Stop);
        events.Single(e => e.Kind == StreamEventKind.Usage).Usage.ShouldBe(new TokenUsage(
            FakeGeminiUpstream.PromptTokenCount,
            FakeGeminiUpstream.CandidatesTokenCount + FakeGeminiUpstream.ThoughtsTokenCount,
            CachedInput: FakeGeminiUpstream.CachedContentTokenCount,
            Reasoning: FakeGeminiUpstream.ThoughtsTokenCount));
    }

    [Fact]
    public async Task A_translated_tool_conversation_is_accepted_by_gemini_3_and_answered()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);
        var provider = runtime.Providers.Find("google")!;
        var request = GeminiRequestTests.Request("""
            {"model":"gemini-3-pro-preview","messages":[
              {"role":"system","content":"Be brief."},
              {"role":"user","content":"Weather in Boston?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\":\"Boston, MA\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"22C and sunny"}],
             "tools":[{"type":"function","function":{"name":"get_current_weather","parameters":{"type":"object","additionalProperties":false,"properties":{"location":{"type":"string"}},"required":["location"]}}}]}
            """);
        var body = new ArrayBufferWriter<byte>();
        GeminiAdapter.Instance.WriteRequest(request, "gemini-3-pro-preview", stream: false, body);

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(provider, Key, "gemini-3-pro-preview", body.WrittenMemory, Stream: false), CancellationToken.None);
        var answer = await ReadAllAsync(response.Body);

        response.StatusCode.ShouldBe(200, Encoding.UTF8.GetString(answer));
        GeminiAdapter.Instance.ReadResponse(answer).Choices[0].Message.Content!.Text.ShouldBe(FakeGeminiUpstream.ToolResultText("22C and sunny"));
    }

    [Fact]
    public async Task A_streamed_tool_call_arrives_with_its_arguments_complete()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);
        var provider = runtime.Providers.Find("google")!;
        var body = new ArrayBufferWriter<byte>();
        GeminiAdapter.Instance.WriteRequest(GeminiRequestTests.Request("""
            {"model":"m","messages":[{"role":"user","content":"Party!"}],
             "tools":[{"type":"function","function":{"name":"power_disco_ball","parameters":{"type":"object","properties":{"power":{"type":"boolean"}}}}},
                      {"type":"function","function":{"name":"start_music","parameters":{"type":"object","properties":{"loud":{"type":"boolean"}}}}}]}
            """), "gemini-2.5-flash", stream: true, body);

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(provider, Key, "gemini-2.5-flash", body.WrittenMemory, Stream: true), CancellationToken.None);
        var (events, decoder) = await DecodeAsync(response);

        decoder.Completed.ShouldBeTrue();
        events.Where(e => e.Kind == StreamEventKind.ToolCallStart).Select(e => (e.ToolIndex, e.Name)).ShouldBe([(0, "power_disco_ball"), (1, "start_music")]);
        events.Where(e => e.Kind == StreamEventKind.ToolCallArguments).Select(e => e.Text).ShouldBe([FakeGeminiUpstream.ToolArguments, FakeGeminiUpstream.ToolArguments]);
        events.Single(e => e.Kind == StreamEventKind.Finish).FinishReason.ShouldBe(FinishReasons.ToolCalls);
    }

    [Fact]
    public async Task A_cut_stream_is_not_completed()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);
        fake.Enqueue(UpstreamFault.CutStreamAfter(2));

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(runtime.Providers.Find("google")!, Key, "gemini-2.5-flash", Body("Hello"), Stream: true), CancellationToken.None);
        var (events, decoder) = await DecodeAsync(response);

        decoder.Completed.ShouldBeFalse();
        events.Count(e => e.Kind == StreamEventKind.TextDelta).ShouldBe(2);
    }

    [Fact]
    public async Task A_garbled_stream_is_malformed()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);
        fake.Enqueue(UpstreamFault.InvalidJson());

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(runtime.Providers.Find("google")!, Key, "gemini-2.5-flash", Body("Hello"), Stream: true), CancellationToken.None);
        var (_, decoder) = await DecodeAsync(response);

        decoder.Malformed.ShouldNotBeNull();
    }

    [Fact]
    public async Task Without_a_key_google_refuses_the_call()
    {
        await using var fake = await FakeGeminiUpstream.StartAsync();
        using var runtime = Runtime(fake);

        using var response = await GeminiAdapter.Instance.SendAsync(new UpstreamCall(runtime.Providers.Find("google")!, null, "gemini-2.5-flash", Body("Hello"), Stream: false), CancellationToken.None);
        var body = await ReadAllAsync(response.Body);

        response.StatusCode.ShouldBe(403);
        GeminiAdapter.Instance.Classify(response.StatusCode, body).ShouldBe(ErrorCategory.Authentication);
    }

    private static SwitchboardRuntime Runtime(FakeGeminiUpstream fake) => TestRuntime.Create(
        $"""
        providers:
          google:
            base_url: {fake.BaseUrl}
            headers:
              X-Goog-User-Project: my-project
        """,
        new Dictionary<string, string?> { ["GEMINI_API_KEY"] = Key });

    private static ReadOnlyMemory<byte> Body(string text)
    {
        var body = new ArrayBufferWriter<byte>();
        GeminiAdapter.Instance.WriteRequest(GeminiRequestTests.Request($$"""{"model":"m","messages":[{"role":"user","content":"{{text}}"}]}"""), "m", stream: false, body);
        return body.WrittenMemory;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task<(List<RecordedEvent> Events, IStreamDecoder Decoder)> DecodeAsync(UpstreamResponse response)
    {
        var sink = new RecordingSink();
        var decoder = GeminiAdapter.Instance.CreateStreamDecoder();
        var buffer = new byte[7];
        try
        {
            int read;
            while ((read = await response.Body.ReadAsync(buffer)) > 0) decoder.Decode(buffer.AsSpan(0, read), sink);
        }
        catch (IOException)
        {
            // A cut stream ends in an error; what arrived before it is what the test looks at.
        }
        catch (HttpRequestException)
        {
            // Likewise.
        }
        decoder.Dispose();
        return (sink.Events, decoder);
    }
}
