using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Core.Tests.Providers;

public sealed class ModelResolverTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5")]
    [InlineData("claude-some-future-model", "anthropic", "claude-some-future-model")]
    [InlineData("anthropic/claude-sonnet-4-5", "anthropic", "claude-sonnet-4-5")]
    [InlineData("gpt-4-turbo", "openai", "gpt-4-turbo")]
    [InlineData("gpt-7-imaginary", "openai", "gpt-7-imaginary")]
    [InlineData("o1-mini", "openai", "o1-mini")]
    [InlineData("o3", "openai", "o3")]
    [InlineData("o4-mini", "openai", "o4-mini")]
    [InlineData("chatgpt-4o-latest", "openai", "chatgpt-4o-latest")]
    [InlineData("openai/gpt-4o", "openai", "gpt-4o")]
    [InlineData("openrouter/anthropic/claude-sonnet-4", "openrouter", "anthropic/claude-sonnet-4")]
    [InlineData("openrouter/meta-llama/llama-3.3-70b-instruct", "openrouter", "meta-llama/llama-3.3-70b-instruct")]
    [InlineData("gemini/gemini-2.5-pro", "google", "gemini-2.5-pro")]
    [InlineData("google/gemini-2.5-flash", "google", "gemini-2.5-flash")]
    [InlineData("gemini-1.5-unknown", "google", "gemini-1.5-unknown")]
    [InlineData("together/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together", "meta-llama/Llama-3.3-70B-Instruct-Turbo")]
    [InlineData("deepseek/deepseek-chat", "deepseek", "deepseek-chat")]
    [InlineData("deepseek-coder-v9", "deepseek", "deepseek-coder-v9")]
    [InlineData("groq/llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile")]
    [InlineData("xai/grok-4", "xai", "grok-4")]
    [InlineData("grok-99", "xai", "grok-99")]
    [InlineData("mistral/mistral-large-latest", "mistral", "mistral-large-latest")]
    [InlineData("fireworks/accounts/fireworks/models/llama-v3p1-8b-instruct", "fireworks", "accounts/fireworks/models/llama-v3p1-8b-instruct")]
    [InlineData("perplexity/sonar", "perplexity", "sonar")]
    [InlineData("azure/my-gpt4o-deployment", "azure", "my-gpt4o-deployment")]
    [InlineData("bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0", "bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0")]
    [InlineData("ollama/llama3.2", "ollama", "llama3.2")]
    public void Detects_provider_and_upstream_model_from_the_name(string requested, string provider, string model)
    {
        using var runtime = TestRuntime.Create();

        var resolution = runtime.Resolver.Resolve(requested);

        resolution.Provider.Name.ShouldBe(provider);
        resolution.Model.ShouldBe(model);
    }

    [Fact]
    public void A_bare_name_the_catalog_knows_goes_to_the_catalog_provider()
    {
        using var runtime = TestRuntime.Create();

        var resolution = runtime.Resolver.Resolve("llama-3.3-70b-versatile");

        resolution.Provider.Name.ShouldBe("groq");
        resolution.MatchedBy.ShouldBe("catalog");
        resolution.CatalogModel.ShouldNotBeNull();
    }

    [Fact]
    public void Provider_prefix_wins_over_the_catalog()
    {
        using var runtime = TestRuntime.Create();

        runtime.Resolver.Resolve("openrouter/openai/gpt-4o").Provider.Name.ShouldBe("openrouter");
        runtime.Resolver.Resolve("gpt-4o").Provider.Name.ShouldBe("openai");
    }

    [Fact]
    public void An_unknown_name_is_a_404_that_says_how_to_write_one_and_lists_the_providers()
    {
        using var runtime = TestRuntime.Create();

        var error = Should.Throw<SwitchboardException>(() => runtime.Resolver.Resolve("llama-something"));

        error.StatusCode.ShouldBe(404);
        error.Code.ShouldBe("model_not_found");
        error.Message.ShouldContain("provider/model");
        foreach (var provider in new[] { "openai", "anthropic", "google", "openrouter", "groq", "together", "deepseek", "xai", "mistral", "azure", "bedrock", "ollama" })
            error.Message.ShouldContain(provider);
    }

    [Fact]
    public void A_provider_prefix_with_no_model_is_a_clear_400()
    {
        using var runtime = TestRuntime.Create();

        var error = Should.Throw<SwitchboardException>(() => runtime.Resolver.Resolve("openai/"));

        error.StatusCode.ShouldBe(400);
        error.Message.ShouldContain("openai/<model>");
    }

    [Fact]
    public void Aliases_are_followed_through_chains()
    {
        using var runtime = TestRuntime.Create("""
            aliases:
              claude4: claude-sonnet-4-20250514
              best: claude4
            """);

        var resolution = runtime.Resolver.Resolve("best");

        resolution.Provider.Name.ShouldBe("anthropic");
        resolution.Model.ShouldBe("claude-sonnet-4-20250514");
        resolution.MatchedBy.ShouldContain("alias best");
    }

    [Fact]
    public void An_alias_loop_is_a_config_error()
    {
        var error = Should.Throw<ConfigException>(() => TestRuntime.Create("""
            aliases:
              a: b
              b: a
            """));

        error.Message.ShouldContain("loop");
    }

    [Fact]
    public void A_configured_provider_name_is_a_prefix()
    {
        using var runtime = TestRuntime.Create("""
            providers:
              vllm: { type: openai-compatible, base_url: "http://127.0.0.1:8000/v1" }
              local: { type: ollama, base_url: "http://127.0.0.1:11434" }
            """);

        var vllm = runtime.Resolver.Resolve("vllm/Qwen/Qwen2.5-7B-Instruct");
        vllm.Provider.Name.ShouldBe("vllm");
        vllm.Model.ShouldBe("Qwen/Qwen2.5-7B-Instruct");
        vllm.Provider.ChatUrl!.ToString().ShouldBe("http://127.0.0.1:8000/v1/chat/completions");

        var local = runtime.Resolver.Resolve("local/llama3.2");
        local.Provider.ChatUrl!.ToString().ShouldBe("http://127.0.0.1:11434/v1/chat/completions");
    }

    [Fact]
    public void Configured_models_join_the_catalog_with_their_prices_and_labels()
    {
        using var runtime = TestRuntime.Create("""
            models:
              - { name: deepseek/deepseek-chat, input_per_mtok: 0.14, output_per_mtok: 0.28, capabilities: [code, cheap] }
              - { name: groq/my-new-model, input_per_mtok: 1, output_per_mtok: 2 }
            """);

        var deepseek = runtime.Resolver.Resolve("deepseek/deepseek-chat").CatalogModel.ShouldNotBeNull();
        deepseek.InputPerMtok.ShouldBe(0.14m);
        deepseek.Has("cheap").ShouldBeTrue();
        runtime.Resolver.Resolve("groq/my-new-model").CatalogModel!.OutputPerMtok.ShouldBe(2m);
    }
}
