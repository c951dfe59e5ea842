using System.Net;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>The provider is worked out from the requested name, and the response headers say where it went.</summary>
public sealed class ProviderDetectionTests
{
    private const string Yaml = """
        providers:
          groq: { base_url: "{fake}", api_key: env:GROQ_API_KEY }
          deepseek: { base_url: "{fake}", api_key: env:DEEPSEEK_API_KEY }
          openrouter: { base_url: "{fake}", api_key: env:OPENROUTER_API_KEY }
          vllm: { type: openai-compatible, base_url: "{fake}" }
        aliases:
          fast: groq/llama-3.3-70b-versatile
          smart: claude4
          claude4: openrouter/anthropic/claude-sonnet-4
        """;

    private static readonly Dictionary<string, string> Keys = new()
    {
        ["groq"] = "gsk_test-groq-key-123",
        ["deepseek"] = "sk-deepseek-test-456",
        ["openrouter"] = "sk-or-test-key-789",
        ["openai"] = GatewayHost.OpenAIKey,
    };

    private static Task<GatewayHost> StartAsync() => GatewayHost.StartAsync(Yaml, env =>
    {
        env["GROQ_API_KEY"] = Keys["groq"];
        env["DEEPSEEK_API_KEY"] = Keys["deepseek"];
        env["OPENROUTER_API_KEY"] = Keys["openrouter"];
    });

    [Theory]
    [InlineData("gpt-4o-mini", "openai", "gpt-4o-mini")]
    [InlineData("gpt-5-future-model", "openai", "gpt-5-future-model")]
    [InlineData("openai/gpt-4o-mini", "openai", "gpt-4o-mini")]
    [InlineData("groq/llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile")]
    [InlineData("deepseek-chat", "deepseek", "deepseek-chat")]
    [InlineData("fast", "groq", "llama-3.3-70b-versatile")]
    [InlineData("smart", "openrouter", "anthropic/claude-sonnet-4")]
    [InlineData("openrouter/meta-llama/llama-3.3-70b-instruct", "openrouter", "meta-llama/llama-3.3-70b-instruct")]
    public async Task Requested_name_goes_to_the_right_provider_and_model(string requested, string provider, string model)
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(requested));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-provider").ShouldBe(provider);
        response.Header("x-switchboard-model").ShouldBe(model);
        var sent = host.Fake.Requests.Single();
        using var body = sent.ParseBody();
        body.RootElement.GetProperty("model").GetString().ShouldBe(model);
        sent.Headers["authorization"].ShouldBe("Bearer " + Keys[provider]);
    }

    [Fact]
    public async Task Keyless_openai_compatible_server_from_config_is_called_without_authorization()
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("vllm/Qwen/Qwen2.5-7B-Instruct"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-provider").ShouldBe("vllm");
        response.Header("x-switchboard-model").ShouldBe("Qwen/Qwen2.5-7B-Instruct");
        host.Fake.Requests.Single().Headers.ContainsKey("authorization").ShouldBeFalse();
    }

    [Fact]
    public async Task Whole_response_carries_cost_and_overhead_headers()
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Attempts().ShouldBe(["openai/gpt-4o-mini ok"]);
        double.Parse(response.Header("x-switchboard-overhead-ms"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0);
        // gpt-4o-mini: 15 uncached input x $0.15 + 4 cached x $0.075 + 10 output (2 of them reasoning) x $0.60, per million.
        response.Header("x-switchboard-cost-usd").ShouldBe("0.00000855");
    }
}
