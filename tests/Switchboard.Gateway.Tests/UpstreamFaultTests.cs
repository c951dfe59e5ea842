using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>When the provider fails, the client gets its status and message in OpenAI's shape, or a gateway error that names what went wrong.</summary>
public sealed class UpstreamFaultTests
{
    /// <summary>A provider's own error reaches the client as it is, rather than being retried away.</summary>
    private const string NoRetries = "resilience: { retries: 0 }";

    [Theory]
    [InlineData(500, "The server had an error while processing your request. Sorry about that!")]
    [InlineData(503, "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.")]
    [InlineData(502, "The server had an error while processing your request. Sorry about that!")]
    public async Task Provider_server_error_keeps_its_status_and_message(int status, string message)
    {
        await using var host = await GatewayHost.StartAsync(NoRetries);
        host.Fake.Enqueue(UpstreamFault.Status(status));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync((HttpStatusCode)status);
        error.Message.ShouldBe(message);
        error.Type.ShouldBe("api_error");
        response.Header("x-switchboard-provider").ShouldBe("openai");
        response.Attempts().ShouldBe([$"openai/gpt-4o-mini unavailable:{status}"]);
        response.HeaderOrNull("x-switchboard-cost-usd").ShouldBeNull();
    }

    [Fact]
    public async Task Rate_limit_keeps_429_its_message_and_retry_after()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries);
        host.Fake.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(7)));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Message.ShouldStartWith("Rate limit reached for gpt-4o-mini");
        error.Code.ShouldBe("rate_limit_exceeded");
        error.Type.ShouldBe("rate_limit_error");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(7));
    }

    [Fact]
    public async Task Provider_bad_request_keeps_400_its_message_param_and_code()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.ContextLengthExceeded());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldStartWith("This model's maximum context length is 128000 tokens.");
        error.Param.ShouldBe("messages");
        error.Code.ShouldBe("context_length_exceeded");
        error.Type.ShouldBe("invalid_request_error");
    }

    [Fact]
    public async Task Provider_404_keeps_its_status_and_model_not_found()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(404));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound);
        error.Message.ShouldBe("The model `gpt-4o-mini` does not exist or you do not have access to it.");
        error.Code.ShouldBe("model_not_found");
    }

    [Fact]
    public async Task Invalid_json_from_the_provider_is_a_502_upstream_malformed()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldBe("OpenAI sent a malformed response for model gpt-4o-mini: the body is not valid JSON.");
        response.Header("x-switchboard-provider").ShouldBe("openai");
        response.HeaderOrNull("x-switchboard-cost-usd").ShouldBeNull();
    }

    [Fact]
    public async Task Invalid_json_as_the_first_stream_event_is_a_whole_502_error_not_a_broken_stream()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.InvalidJson());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        // Nothing usable was sent yet, so the client can still get a proper error response (as for a cut before the first byte).
        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldContain("not valid JSON");
    }

    [Fact]
    public async Task Malformed_event_mid_stream_ends_it_with_an_error_event_and_nothing_after()
    {
        const string good = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}""";
        const string bad = """{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel""";
        // One write, so the gateway reads the bad event and the [DONE] after it together.
        await using var upstream = await RawUpstream.StartAsync("text/event-stream", $"data: {good}\n\ndata: {bad}\n\ndata: [DONE]\n\n");
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_BASE_URL"] = upstream.BaseUrl.ToString());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(text);
        // A [DONE] before the error event tells the client the answer was complete; it must never be passed on after a bad event.
        payloads.ShouldNotContain("[DONE]", text);
        payloads.Count.ShouldBe(2, text);
        payloads[0].ShouldBe(good);
        var error = OpenAIError.Parse(payloads[1]);
        error.Code.ShouldBe("upstream_malformed");
    }

    [Fact]
    public async Task Stream_that_ends_without_done_gets_an_error_event()
    {
        const string good = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}""";
        await using var upstream = await RawUpstream.StartAsync("text/event-stream", $"data: {good}\n\n");
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_BASE_URL"] = upstream.BaseUrl.ToString());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        var text = await response.Content.ReadAsStringAsync();
        var payloads = Sse.DataPayloads(text);
        payloads.Count.ShouldBe(2, text);
        payloads[0].ShouldBe(good);
        var error = OpenAIError.Parse(payloads[1]);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldBe("OpenAI sent a malformed response for model gpt-4o-mini: the stream ended without its final event.");
    }

    [Fact]
    public async Task Empty_whole_response_is_a_502_upstream_malformed()
    {
        await using var upstream = await RawUpstream.StartAsync("application/json", "");
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_BASE_URL"] = upstream.BaseUrl.ToString());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_malformed");
    }

    [Fact]
    public async Task Streamed_request_refused_by_the_provider_gets_a_whole_json_error_not_a_stream()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries);
        host.Fake.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(3)));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Code.ShouldBe("rate_limit_exceeded");
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(3));
        response.Headers.CacheControl.ShouldBeNull();
    }

    [Fact]
    public async Task Stream_cut_after_three_chunks_delivers_them_then_an_error_event_and_no_done()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.CutStreamAfter(3));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        payloads.Count.ShouldBe(4, string.Join("\n", payloads));
        payloads.ShouldNotContain("[DONE]");
        foreach (var chunk in payloads.Take(3))
        {
            using var document = JsonDocument.Parse(chunk);
            document.RootElement.GetProperty("object").GetString().ShouldBe("chat.completion.chunk");
        }
        Sse.Content(payloads.Take(3)).ShouldBe(string.Concat(FakeOpenAIUpstream.StreamTextDeltas.Take(2)));
        var error = OpenAIError.Parse(payloads[3]);
        error.Code.ShouldBe("upstream_malformed");
        error.Message.ShouldContain("OpenAI");
        error.Message.ShouldContain("broke off");
    }

    [Fact]
    public async Task Provider_dropping_the_connection_before_answering_is_a_502_that_gives_the_cause()
    {
        await using var host = await GatewayHost.StartAsync(NoRetries);
        // Not streamed: the fake resets the connection after reading the request, before any response.
        host.Fake.Enqueue(UpstreamFault.CutStreamAfter(0));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        response.Header("x-switchboard-provider").ShouldBe("openai");
        error.Message.ShouldContain("OpenAI");
        host.Fake.Requests.Count.ShouldBe(1, "the provider was reached and read the request");
        // HttpRequestException's own message is a generic wrapper; the cause (the reset) is in its inner exception.
        error.Message.ShouldNotContain("An error occurred while sending the request", customMessage: error.Message);
    }

    [Fact]
    public async Task Provider_slower_than_the_timeout_is_a_504_that_names_the_timeout()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { response_timeout: 300ms, retries: 0 }");
        host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromSeconds(30)));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.GatewayTimeout);
        error.Code.ShouldBe("upstream_timeout");
        error.Type.ShouldBe("timeout_error");
        error.Message.ShouldBe("OpenAI did not answer within 0.3s for model gpt-4o-mini. If the model needs longer, raise resilience.response_timeout (to a whole answer) in switchboard.yaml.");
        response.Header("x-switchboard-provider").ShouldBe("openai");
    }

    [Fact]
    public async Task Streamed_request_to_a_provider_slower_than_the_timeout_is_a_504_too()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { timeout: 300ms, retries: 0 }");
        host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromSeconds(30)));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.GatewayTimeout);
        error.Message.ShouldContain("resilience.timeout");
    }

    [Fact]
    public async Task Nothing_listening_at_the_base_url_is_a_502_that_names_the_provider_and_url()
    {
        var dead = $"http://127.0.0.1:{FreePort()}/v1";
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_BASE_URL"] = dead);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Code.ShouldBe("upstream_unreachable");
        error.Message.ShouldStartWith($"Could not reach OpenAI at {dead}");
        error.Message.ShouldContain("refused");
        response.Header("x-switchboard-provider").ShouldBe("openai");
    }

    [Fact]
    public async Task Nothing_listening_for_a_configured_provider_names_that_provider()
    {
        var dead = $"http://127.0.0.1:{FreePort()}/v1";
        await using var host = await GatewayHost.StartAsync(
            $"providers: {{ groq: {{ base_url: \"{dead}\", api_key: env:GROQ_API_KEY }} }}",
            env => env["GROQ_API_KEY"] = "gsk_test-groq-key-123");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("groq/llama-3.3-70b-versatile"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadGateway);
        error.Message.ShouldStartWith("Could not reach Groq at");
        response.Header("x-switchboard-provider").ShouldBe("groq");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
