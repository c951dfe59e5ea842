using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Same dialect, no rewrite: the body reaches the provider as bytes with only the model changed, and the answer comes back as bytes.</summary>
public sealed class PassThroughTests
{
    private const string OpenRouterKey = "sk-or-test-0123456789";

    private const string OpenRouterYaml = """
        providers:
          openrouter:
            base_url: {fake}
            api_key: env:OPENROUTER_API_KEY
            headers:
              HTTP-Referer: https://switchboard.example/app
              X-Title: Switchboard Tests
        """;

    // Odd spacing, unknown fields at every level, numbers written unusually and non-ASCII text: all must survive.
    private const string ClientBody = """
        {
          "model" : "openrouter/anthropic/claude-sonnet-4",
          "messages": [
            {"role": "system", "content": "Be brief.", "x_cache": {"type": "ephemeral"}},
            {"role": "user", "content": [{"type": "text", "text": "Grüße, 世界 \u00e9", "cache_control": {"type": "ephemeral", "ttl": "5m"}}], "name": "ana"}
          ],
          "x_unknown_top_level": {"nested": {"deep": [1, 2.50, -0.0, 1e3, null, true]}, "s": "a\"b"},
          "provider": {"order": ["Anthropic", "Google"], "allow_fallbacks": false},
          "transforms": ["middle-out"],
          "max_tokens":   100
        }
        """;

    private static Task<GatewayHost> StartOpenRouterAsync() =>
        GatewayHost.StartAsync(OpenRouterYaml, env => env["OPENROUTER_API_KEY"] = OpenRouterKey);

    [Fact]
    public async Task Unknown_fields_reach_the_provider_byte_identical_and_only_the_model_changes()
    {
        await using var host = await StartOpenRouterAsync();

        using var response = await host.PostChatAsync(ClientBody);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sent = host.Fake.Requests.Single();
        var expected = ClientBody.Replace("\"openrouter/anthropic/claude-sonnet-4\"", "\"anthropic/claude-sonnet-4\"", StringComparison.Ordinal);
        sent.BodyText.ShouldBe(expected);
        sent.Body.ShouldBe(Encoding.UTF8.GetBytes(expected));
    }

    [Fact]
    public async Task OpenRouter_gets_its_headers_from_config_and_its_own_key()
    {
        await using var host = await StartOpenRouterAsync();

        using var response = await host.PostChatAsync(ClientBody, r => r.Headers.Add("X-Title", "client-chosen title"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sent = host.Fake.Requests.Single();
        sent.Method.ShouldBe("POST");
        sent.Path.ShouldBe("/v1/chat/completions");
        sent.Headers["authorization"].ShouldBe("Bearer " + OpenRouterKey);
        sent.Headers["http-referer"].ShouldBe("https://switchboard.example/app");
        sent.Headers["x-title"].ShouldBe("Switchboard Tests");
        sent.Headers["content-type"].ShouldStartWith("application/json");
        response.Header("x-switchboard-provider").ShouldBe("openrouter");
        response.Header("x-switchboard-model").ShouldBe("anthropic/claude-sonnet-4");
        response.Attempts().ShouldBe(["openrouter/anthropic/claude-sonnet-4 ok"]);
    }

    [Fact]
    public async Task Whole_response_body_reaches_the_client_unchanged()
    {
        await using var host = await StartOpenRouterAsync();

        using var response = await host.PostChatAsync(ClientBody);
        var throughGateway = await response.Content.ReadAsByteArrayAsync();

        var direct = await DirectAsync(host, host.Fake.Requests.Single().Body);
        throughGateway.ShouldBe(direct);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Fact]
    public async Task Streamed_response_reaches_the_client_byte_for_byte()
    {
        await using var host = await GatewayHost.StartAsync();
        var body = GatewayHost.ChatBody(extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}");

        using var response = await host.PostChatAsync(body);
        var throughGateway = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var direct = await DirectAsync(host, host.Fake.Requests.Single().Body);
        Encoding.UTF8.GetString(throughGateway).ShouldBe(Encoding.UTF8.GetString(direct));
    }

    [Fact]
    public async Task Bare_model_that_needs_no_change_is_sent_exactly_as_received()
    {
        await using var host = await GatewayHost.StartAsync();
        const string body = """{"messages":[{"role":"user","content":"Hi","x":{"y":[]}}],"seed":7,"model":"gpt-4o-mini","logit_bias":{"50256":-100}}""";

        using var response = await host.PostChatAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        host.Fake.Requests.Single().BodyText.ShouldBe(body);
    }

    [Fact]
    public async Task Model_with_escaped_characters_is_rewritten_to_valid_json()
    {
        await using var host = await StartOpenRouterAsync();
        // JSON lets a client escape any character; the model is still openrouter/anthropic/claude-sonnet-4.
        const string body = """{"model":"openrouter\/anthropic\/claude-sonnet-4","messages":[{"role":"user","content":"Hi"}]}""";

        using var response = await host.PostChatAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        host.Fake.Requests.Single().BodyText.ShouldBe("""{"model":"anthropic/claude-sonnet-4","messages":[{"role":"user","content":"Hi"}]}""");
    }

    private static async Task<byte[]> DirectAsync(GatewayHost host, byte[] body)
    {
        using var http = new HttpClient();
        using var content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
        using var response = await http.PostAsync(new Uri(host.Fake.BaseUrl + "/chat/completions"), content);
        return await response.Content.ReadAsByteArrayAsync();
    }
}
