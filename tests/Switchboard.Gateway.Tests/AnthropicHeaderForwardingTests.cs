using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>The headers that describe an Anthropic body go with it when it passes through, and only then.</summary>
public sealed class AnthropicHeaderForwardingTests
{
    private const string Body = """{"model":"MODEL","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}""";

    [Fact]
    public async Task Beta_and_version_headers_reach_an_anthropic_upstream_and_the_clients_own_key_does_not()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        using var response = await PostAsync(host, Body.Replace("MODEL", "claude-sonnet-4-5", StringComparison.Ordinal));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var received = host.Anthropic.Requests[^1].Headers;
        received["anthropic-beta"].ShouldBe("interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
        received["anthropic-version"].ShouldBe("2023-06-01");
        received["x-api-key"].ShouldBe(AnthropicGatewayHost.AnthropicKey);
    }

    [Fact]
    public async Task Beta_headers_are_not_sent_to_a_provider_of_another_dialect()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        using var response = await PostAsync(host, Body.Replace("MODEL", "gpt-4o-mini", StringComparison.Ordinal));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        host.OpenAI.Requests[^1].Headers.ContainsKey("anthropic-beta").ShouldBeFalse();
    }

    private static async Task<HttpResponseMessage> PostAsync(AnthropicGatewayHost host, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14");
        request.Headers.Add("x-api-key", "sk-ant-the-clients-own-key");
        return await host.Http.SendAsync(request);
    }
}
