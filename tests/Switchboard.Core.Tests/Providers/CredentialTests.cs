using Shouldly;
using Switchboard.Providers;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers;

public sealed class CredentialTests
{
    [Fact]
    public void Missing_key_fails_naming_the_model_the_variable_and_the_fix()
    {
        using var runtime = TestRuntime.Create();
        var provider = runtime.Resolver.Resolve("gpt-4-turbo").Provider;

        var error = Should.Throw<SwitchboardException>(() => provider.EnsureCallable("gpt-4-turbo"));

        error.Message.ShouldBe("Missing OPENAI_API_KEY for model gpt-4-turbo. Set it: export OPENAI_API_KEY=sk-...");
        error.StatusCode.ShouldBe(401);
        error.Category.ShouldBe(ErrorCategory.Authentication);
    }

    [Theory]
    [InlineData("claude-sonnet-4-5", "Missing ANTHROPIC_API_KEY for model claude-sonnet-4-5. Set it: export ANTHROPIC_API_KEY=sk-ant-...")]
    [InlineData("openrouter/anthropic/claude-sonnet-4", "Missing OPENROUTER_API_KEY for model openrouter/anthropic/claude-sonnet-4. Set it: export OPENROUTER_API_KEY=sk-or-...")]
    [InlineData("gemini-2.5-pro", "Missing GEMINI_API_KEY for model gemini-2.5-pro. Set it: export GEMINI_API_KEY=AIza... (GOOGLE_API_KEY works too)")]
    [InlineData("groq/llama-3.3-70b-versatile", "Missing GROQ_API_KEY for model groq/llama-3.3-70b-versatile. Set it: export GROQ_API_KEY=gsk_...")]
    public void Each_provider_names_its_own_variable(string model, string message)
    {
        using var runtime = TestRuntime.Create();

        Should.Throw<SwitchboardException>(() => runtime.Resolver.Resolve(model).Provider.EnsureCallable(model)).Message.ShouldBe(message);
    }

    [Fact]
    public void Azure_needs_its_endpoint_as_well_as_its_key()
    {
        using var runtime = TestRuntime.Create(environment: new Dictionary<string, string?> { ["AZURE_OPENAI_API_KEY"] = "azure-key" });

        var error = Should.Throw<SwitchboardException>(() => runtime.Resolver.Resolve("azure/prod-gpt4o").Provider.EnsureCallable("azure/prod-gpt4o"));

        error.Message.ShouldContain("Missing AZURE_OPENAI_ENDPOINT for model azure/prod-gpt4o. Set it: export AZURE_OPENAI_ENDPOINT=https://");
    }

    [Fact]
    public void Bedrock_names_every_missing_aws_variable()
    {
        using var runtime = TestRuntime.Create(environment: new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIA" });

        var error = Should.Throw<SwitchboardException>(() => runtime.Resolver.Resolve("bedrock/x").Provider.EnsureCallable("bedrock/x"));

        error.Message.ShouldContain("AWS_SECRET_ACCESS_KEY");
        error.Message.ShouldContain("AWS_REGION");
        error.Message.ShouldNotContain("AKIA");
    }

    [Fact]
    public void Google_takes_GOOGLE_API_KEY_when_GEMINI_API_KEY_is_unset()
    {
        using var runtime = TestRuntime.Create(environment: new Dictionary<string, string?> { ["GOOGLE_API_KEY"] = "AIza-google" });

        var provider = runtime.Resolver.Resolve("gemini-2.5-pro").Provider;

        provider.IsConfigured.ShouldBeTrue();
        provider.Credentials.Next().ShouldBe("AIza-google");
    }

    [Fact]
    public void A_config_key_from_another_variable_names_that_variable_when_missing()
    {
        using var runtime = TestRuntime.Create("""
            providers:
              vllm: { type: openai-compatible, base_url: "http://127.0.0.1:8000/v1", api_key: env:VLLM_KEY }
            """);

        var error = Should.Throw<SwitchboardException>(() => runtime.Resolver.Resolve("vllm/m").Provider.EnsureCallable("vllm/m"));

        error.Message.ShouldBe("Missing VLLM_KEY for model vllm/m. Set it: export VLLM_KEY=...");
    }

    [Fact]
    public void Ollama_and_keyless_servers_need_no_key()
    {
        using var runtime = TestRuntime.Create();

        Should.NotThrow(() => runtime.Resolver.Resolve("ollama/llama3.2").Provider.EnsureCallable("ollama/llama3.2"));
    }

    [Fact]
    public void Comma_separated_keys_are_used_in_turn()
    {
        using var runtime = TestRuntime.Create(environment: new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-one, sk-two,sk-three" });
        var pool = runtime.Resolver.Resolve("gpt-4o").Provider.Credentials;

        var used = Enumerable.Range(0, 6).Select(_ => pool.Next()).ToList();

        pool.Count.ShouldBe(3);
        used.Distinct().OrderBy(k => k).ShouldBe(["sk-one", "sk-three", "sk-two"]);
        used.Take(3).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public void A_rested_key_is_skipped_until_its_rest_is_over()
    {
        var time = new ManualTimeProvider();
        var pool = new CredentialPool(["sk-one", "sk-two"], time);

        pool.Rest("sk-one", TimeSpan.FromSeconds(30));

        Enumerable.Range(0, 4).Select(_ => pool.Next()).ShouldAllBe(k => k == "sk-two");
        pool.Available.ShouldBe(1);
        time.Advance(TimeSpan.FromSeconds(31));
        Enumerable.Range(0, 4).Select(_ => pool.Next()).ShouldContain("sk-one");
        pool.Available.ShouldBe(2);
    }

    [Fact]
    public void When_every_key_rests_the_one_that_wakes_first_is_used()
    {
        var time = new ManualTimeProvider();
        var pool = new CredentialPool(["sk-one", "sk-two", "sk-three"], time);

        pool.Rest("sk-one", TimeSpan.FromMinutes(5));
        pool.Rest("sk-two", TimeSpan.FromSeconds(10));
        pool.Rest("sk-three", TimeSpan.FromMinutes(1));

        pool.Available.ShouldBe(0);
        pool.Next().ShouldBe("sk-two");
    }

    [Fact]
    public void Redact_hides_every_key_of_the_pool()
    {
        var pool = new CredentialPool(["sk-secret-one-1234", "sk-secret-two-5678"], TimeProvider.System);

        pool.Redact("Incorrect API key provided: sk-secret-two-5678.").ShouldBe("Incorrect API key provided: ***.");
    }
}
