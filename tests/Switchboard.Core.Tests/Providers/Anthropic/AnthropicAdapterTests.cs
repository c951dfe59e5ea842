using System.Net;
using System.Text;
using Shouldly;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicAdapterTests
{
    private sealed class RecordingHandler : HttpMessageHandler
    {
        public HttpRequestMessage? Request { get; private set; }

        public byte[] Body { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            Body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        }
    }

    private static (SwitchboardRuntime Runtime, RecordingHandler Handler) Runtime(string yaml = "")
    {
        var handler = new RecordingHandler();
        var env = new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = "sk-ant-test-key" };
        string? Lookup(string name) => env.GetValueOrDefault(name);
        return (new SwitchboardRuntime(ConfigLoader.Parse(yaml, "switchboard.yaml", Lookup), TimeProvider.System, Lookup, () => handler), handler);
    }

    [Fact]
    public void The_anthropic_provider_speaks_through_this_adapter()
    {
        var (runtime, _) = Runtime();
        using (runtime)
        {
            var provider = runtime.Resolver.Resolve("claude-sonnet-4-5").Provider;

            provider.Adapter.ShouldBeSameAs(AnthropicAdapter.Instance);
            provider.Adapter!.Dialect.ShouldBe(WireDialect.Anthropic);
            provider.ChatUrl!.ToString().ShouldBe("https://api.anthropic.com/v1/messages");
            provider.IsEnabled.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Sends_the_body_to_v1_messages_with_the_key_in_x_api_key_the_version_and_configured_headers()
    {
        var (runtime, handler) = Runtime("""
            providers:
              anthropic:
                headers: { anthropic-beta: "prompt-caching-2024-07-31" }
            """);
        using (runtime)
        {
            var provider = runtime.Resolver.Resolve("claude-sonnet-4-5").Provider;
            var body = """{"model":"claude-sonnet-4-5","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}"""u8.ToArray();

            using var response = await provider.Adapter!.SendAsync(new UpstreamCall(provider, "sk-ant-test-key", "claude-sonnet-4-5", body, Stream: true), CancellationToken.None);

            var request = handler.Request.ShouldNotBeNull();
            request.Method.ShouldBe(HttpMethod.Post);
            request.RequestUri!.ToString().ShouldBe("https://api.anthropic.com/v1/messages");
            request.Headers.GetValues("x-api-key").ShouldBe(["sk-ant-test-key"]);
            request.Headers.GetValues("anthropic-version").ShouldBe(["2023-06-01"]);
            request.Headers.GetValues("anthropic-beta").ShouldBe(["prompt-caching-2024-07-31"]);
            request.Headers.Authorization.ShouldBeNull("Anthropic takes its key in x-api-key, never as a bearer token");
            request.Headers.Accept.ToString().ShouldBe("text/event-stream");
            request.Content!.Headers.ContentType!.MediaType.ShouldBe("application/json");
            handler.Body.ShouldBe(body);
        }
    }

    [Fact]
    public async Task A_configured_anthropic_version_replaces_the_default_rather_than_doubling_it()
    {
        var (runtime, handler) = Runtime("""
            providers:
              anthropic:
                headers: { anthropic-version: "2024-01-01" }
            """);
        using (runtime)
        {
            var provider = runtime.Resolver.Resolve("claude-sonnet-4-5").Provider;

            using var response = await provider.Adapter!.SendAsync(new UpstreamCall(provider, null, "claude-sonnet-4-5", "{}"u8.ToArray(), Stream: false), CancellationToken.None);

            handler.Request!.Headers.GetValues("anthropic-version").ShouldBe(["2024-01-01"]);
            handler.Request.Headers.Contains("x-api-key").ShouldBeFalse();
        }
    }

    // Each of the errors in Anthropic's API reference ("Errors"), with the body it documents.
    [Theory]
    [InlineData(400, "invalid_request_error", "messages: text content blocks must be non-empty", ErrorCategory.BadRequest)]
    [InlineData(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum", ErrorCategory.ContextWindowExceeded)]
    [InlineData(400, "invalid_request_error", "input length and `max_tokens` exceed context limit: 197202 + 21333 > 200000, decrease input length or `max_tokens` and try again", ErrorCategory.ContextWindowExceeded)]
    [InlineData(400, "invalid_request_error", "Output blocked by content filtering policy", ErrorCategory.ContentPolicy)]
    [InlineData(401, "authentication_error", "invalid x-api-key", ErrorCategory.Authentication)]
    [InlineData(402, "billing_error", "Your credit balance is too low to access the Anthropic API.", ErrorCategory.Authentication)]
    [InlineData(403, "permission_error", "Your API key does not have permission to use the specified resource.", ErrorCategory.Authentication)]
    [InlineData(404, "not_found_error", "model: claude-nonexistent", ErrorCategory.NotFound)]
    [InlineData(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", ErrorCategory.BadRequest)]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit", ErrorCategory.RateLimited)]
    [InlineData(500, "api_error", "Internal server error", ErrorCategory.Unavailable)]
    [InlineData(504, "timeout_error", "Request timed out", ErrorCategory.Timeout)]
    [InlineData(529, "overloaded_error", "Overloaded", ErrorCategory.Unavailable)]
    public void Classifies_each_documented_error(int status, string type, string message, ErrorCategory category)
    {
        var body = $$"""{"type":"error","error":{"type":"{{type}}","message":"{{message}}"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}""";

        AnthropicAdapter.Instance.Classify(status, Encoding.UTF8.GetBytes(body)).ShouldBe(category);
    }

    [Fact]
    public void A_proxy_in_front_of_anthropic_answering_503_without_a_body_is_unavailable()
    {
        AnthropicAdapter.Instance.Classify(503, []).ShouldBe(ErrorCategory.Unavailable);
        AnthropicAdapter.Instance.Classify(408, []).ShouldBe(ErrorCategory.Timeout);
    }
}
