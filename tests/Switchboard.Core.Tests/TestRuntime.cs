using Switchboard.Configuration;

namespace Switchboard.Core.Tests;

/// <summary>Builds a runtime from YAML and a fixed set of environment variables, never the machine's own.</summary>
internal static class TestRuntime
{
    public static SwitchboardRuntime Create(string yaml = "", IReadOnlyDictionary<string, string?>? environment = null, TimeProvider? time = null)
    {
        var env = environment ?? new Dictionary<string, string?>();
        string? Lookup(string name) => env.GetValueOrDefault(name);
        return new SwitchboardRuntime(ConfigLoader.Parse(yaml, "switchboard.yaml", Lookup), time, Lookup);
    }

    public static Dictionary<string, string?> AllKeys() => new()
    {
        ["OPENAI_API_KEY"] = "sk-openai-test-key",
        ["ANTHROPIC_API_KEY"] = "sk-ant-test-key",
        ["OPENROUTER_API_KEY"] = "sk-or-test-key",
        ["GEMINI_API_KEY"] = "AIza-test-key",
        ["TOGETHER_API_KEY"] = "together-test-key",
        ["DEEPSEEK_API_KEY"] = "sk-deepseek-test",
        ["GROQ_API_KEY"] = "gsk_test-key",
        ["XAI_API_KEY"] = "xai-test-key",
        ["MISTRAL_API_KEY"] = "mistral-test-key",
        ["FIREWORKS_API_KEY"] = "fw_test-key",
        ["PERPLEXITY_API_KEY"] = "pplx-test-key",
        ["AZURE_OPENAI_API_KEY"] = "azure-test-key",
        ["AZURE_OPENAI_ENDPOINT"] = "https://example.openai.azure.com",
        ["AWS_ACCESS_KEY_ID"] = "AKIATEST",
        ["AWS_SECRET_ACCESS_KEY"] = "secret-test",
        ["AWS_REGION"] = "us-east-1",
    };
}
