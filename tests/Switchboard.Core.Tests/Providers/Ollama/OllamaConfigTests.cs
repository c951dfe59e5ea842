using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Ollama;

/// <summary>The <c>api</c> key that chooses Ollama's native API.</summary>
public sealed class OllamaConfigTests
{
    [Fact]
    public void Api_is_read_on_ollama_providers()
    {
        var providers = Parse("""
            providers:
              ollama: { api: native }
              local: { type: ollama, base_url: "http://10.0.0.2:11434", api: openai }
            """).Providers;

        providers[0].Api.ShouldBe("native");
        providers[1].Api.ShouldBe("openai");
    }

    [Theory]
    [InlineData("ollama: { api: grpc }", "switchboard.yaml:2:18: providers.ollama.api must be one of openai, native, not 'grpc'.")]
    [InlineData("groq: { api: native }", "switchboard.yaml:2:16: providers.groq.api applies only to providers of type ollama; groq is of type groq.")]
    [InlineData("vllm: { type: openai-compatible, base_url: \"http://x:8000/v1\", api: native }",
        "switchboard.yaml:2:71: providers.vllm.api applies only to providers of type ollama; vllm is of type openai-compatible.")]
    public void A_wrong_api_is_named_with_its_line(string entry, string problem)
    {
        Should.Throw<ConfigException>(() => Parse("providers:\n  " + entry)).Problems.ShouldContain(problem);
    }

    private static SwitchboardOptions Parse(string yaml) => ConfigLoader.Parse(yaml, "switchboard.yaml", _ => null);
}
