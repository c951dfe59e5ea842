using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Bad requests get a 4xx in OpenAI's error shape whose message says what to fix, and never reach a provider.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string, string, string?, string> Cases() => new()
    {
        // body, what the message must say, the param at fault, a fix the message must suggest
        { "", "The request body is empty", null, "\"model\"" },
        { "   \n ", "The request body is empty", null, "\"messages\"" },
        { "hello there", "The request body is not valid JSON", null, "" },
        { """{"model":"gpt-4o-mini","messages":[""", "The request body is not valid JSON", null, "" },
        { """[{"model":"gpt-4o-mini"}]""", "must be a JSON object, not an array", null, "\"model\"" },
        { "\"gpt-4o-mini\"", "must be a JSON object, not a string", null, "\"messages\"" },
        { """{"messages":[{"role":"user","content":"Hi"}]}""", "'model' is required", "model", "gpt-4o-mini" },
        { """{"model":42,"messages":[{"role":"user","content":"Hi"}]}""", "'model' must be a non-empty string", "model", "not a number" },
        { """{"model":"","messages":[{"role":"user","content":"Hi"}]}""", "'model' must be a non-empty string", "model", "gpt-4o-mini" },
        { """{"model":"gpt-4o-mini","messages":"Hi"}""", "'messages' must be an array of messages", "messages", "not a string" },
        { """{"model":"gpt-4o-mini"}""", "'messages' is required and must hold at least one message", "messages", "\"role\"" },
        { """{"model":"gpt-4o-mini","messages":[]}""", "'messages' is required and must hold at least one message", "messages", "\"role\"" },
        { """{"model":"gpt-4o-mini","messages":[{"content":"Hi"}]}""", "messages[0] has no \"role\"", "messages[0].role", "\"user\"" },
        { """{"model":"gpt-4o-mini","messages":[{"role":"robot","content":"Hi"}]}""", "messages[0].role must be one of", "messages[0].role", "\"assistant\"" },
        { """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"temperature":"0.7"}""", "'temperature' must be a number", "temperature", "not a string" },
        { """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"max_tokens":1.5}""", "'max_tokens' must be a whole number", "max_tokens", "not a number" },
        { """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"stream":"true"}""", "'stream' must be true or false", "stream", "not a string" },
        { """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":"yes"}}""", "'stream_options.include_usage' must be true or false", "stream_options.include_usage", "not a string" },
        { """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"tools":{}}""", "'tools' must be an array of tools", "tools", "not an object" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_is_a_400_that_says_what_to_fix(string body, string says, string? param, string fix)
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(body);

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldContain(says);
        error.Message.ShouldContain(fix);
        error.Type.ShouldBe("invalid_request_error");
        error.Param.ShouldBe(param);
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Invalid_json_message_says_where_the_mistake_is()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],}""");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldStartWith("The request body is not valid JSON:");
        error.Message.ShouldContain("LineNumber");
    }

    [Fact]
    public async Task Body_over_the_limit_is_a_413_that_names_the_setting_and_the_gateway_stays_healthy()
    {
        await using var host = await GatewayHost.StartAsync();
        // What every SDK does: send the whole body at once, Content-Length first, no Expect: 100-continue.
        using (var response = await host.PostRawAsync(TwentyMegabyteBody()))
        {
            var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.RequestEntityTooLarge);
            error.Code.ShouldBe("request_too_large");
            error.Message.ShouldContain("10 MiB");
            error.Message.ShouldContain("server.max_request_body");
        }

        await ShouldStayHealthyAsync(host);
    }

    [Fact]
    public async Task Body_over_the_limit_announced_with_expect_100_continue_is_a_413_before_it_is_sent()
    {
        await using var host = await GatewayHost.StartAsync();

        // curl's way with large bodies: the gateway can refuse on Content-Length before a byte of the body is sent.
        using (var response = await host.PostRawAsync(TwentyMegabyteBody(), r => r.Headers.ExpectContinue = true))
        {
            var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.RequestEntityTooLarge);
            error.Code.ShouldBe("request_too_large");
            error.Type.ShouldBe("invalid_request_error");
            error.Message.ShouldContain("10 MiB");
            error.Message.ShouldContain("server.max_request_body");
        }

        await ShouldStayHealthyAsync(host);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_a_413_too()
    {
        await using var host = await GatewayHost.StartAsync("server: { max_request_body: 1MiB }");
        var huge = Encoding.UTF8.GetBytes(GatewayHost.ChatBody(extra: $"\"padding\":\"{new string('x', 2 * 1024 * 1024)}\""));

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            // A stream of unknown length goes out chunked, so the limit is found while reading, not from Content-Length.
            Content = new StreamContent(new UnknownLengthStream(huge)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        using var response = await host.Http.SendAsync(request);

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        error.Code.ShouldBe("request_too_large");
        error.Message.ShouldContain("(1 MiB)");
        host.Fake.Requests.ShouldBeEmpty();
        using var chat = await host.PostChatAsync(GatewayHost.ChatBody());
        chat.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Limit_below_a_mebibyte_is_stated_as_configured_in_the_413_message()
    {
        await using var host = await GatewayHost.StartAsync("server: { max_request_body: 64KiB }");
        var body = Encoding.UTF8.GetBytes(GatewayHost.ChatBody(extra: $"\"padding\":\"{new string('x', 100 * 1024)}\""));

        using var response = await host.PostRawAsync(body, r => r.Headers.ExpectContinue = true);

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.RequestEntityTooLarge);
        // 64 KiB written as "0.1 MiB" is neither what was configured nor the real limit (65536 bytes).
        error.Message.ShouldNotContain("0.1 MiB");
        error.Message.ShouldContain("64 KiB");
    }

    [Fact]
    public async Task Unknown_model_is_a_404_model_not_found_that_lists_providers_and_the_provider_model_form()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("llama-nonexistent-9000"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound);
        error.Code.ShouldBe("model_not_found");
        error.Param.ShouldBe("model");
        error.Message.ShouldContain("Unknown model 'llama-nonexistent-9000'");
        error.Message.ShouldContain("provider/model");
        error.Message.ShouldContain("Providers: openai, anthropic");
        error.Message.ShouldContain("openrouter");
        error.Message.ShouldContain("aliases:");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Unknown_provider_prefix_is_a_404_too()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("nosuchprovider/some-model"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound);
        error.Code.ShouldBe("model_not_found");
        error.Message.ShouldContain("'nosuchprovider/some-model'");
    }

    [Fact]
    public async Task Provider_prefix_without_a_model_is_a_400_that_shows_the_form()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("openai/"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldContain("write openai/<model>");
        error.Param.ShouldBe("model");
    }

    [Fact]
    public async Task Unknown_route_is_a_404_json_error_that_lists_the_endpoints()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.Http.GetAsync("v1/embeddingz");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound);
        error.Code.ShouldBe("unknown_url");
        error.Message.ShouldContain("GET /v1/embeddingz");
        error.Message.ShouldContain("POST /v1/chat/completions");
    }

    [Fact]
    public async Task Get_on_the_chat_endpoint_is_a_json_error_not_an_empty_response()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.Http.GetAsync("v1/chat/completions");

        var body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeOneOf(404, 405);
        var error = OpenAIError.Parse(body);
        error.Message.ShouldContain("POST /v1/chat/completions");
    }

    private static byte[] TwentyMegabyteBody() =>
        Encoding.UTF8.GetBytes(GatewayHost.ChatBody(extra: $"\"padding\":\"{new string('x', 20 * 1024 * 1024)}\""));

    private static async Task ShouldStayHealthyAsync(GatewayHost host)
    {
        host.Fake.Requests.ShouldBeEmpty();
        using var live = await host.Http.GetAsync("health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var chat = await host.PostChatAsync(GatewayHost.ChatBody());
        chat.StatusCode.ShouldBe(HttpStatusCode.OK, await chat.Content.ReadAsStringAsync());
    }

    /// <summary>A read-only stream that does not report its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
