using System.Text.RegularExpressions;
using Shouldly;
using Switchboard.Configuration;
using Switchboard.Providers.Azure;
using Switchboard.Providers.Command;
using Switchboard.Providers.Ollama;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Command;

/// <summary>The provider examples in docs/configuration.md load as written and give the adapters they describe.</summary>
public sealed partial class DocumentedProviderExamplesTests
{
    [Fact]
    public void Every_yaml_example_of_the_providers_section_loads()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));
        var section = docs[docs.IndexOf("## `providers`", StringComparison.Ordinal)..docs.IndexOf("## `models`", StringComparison.Ordinal)];
        var examples = YamlBlock().Matches(section).Select(m => m.Groups[1].Value).ToList();
        examples.Count.ShouldBeGreaterThanOrEqualTo(4);

        var environment = new Dictionary<string, string?>
        {
            ["AZURE_OPENAI_API_KEY"] = "key", ["AZURE_EU_KEY"] = "key", ["AZURE_OPENAI_ENDPOINT"] = "https://res.openai.azure.com",
            ["OPENAI_API_KEY"] = "sk-x", ["OPENROUTER_API_KEY"] = "sk-or", ["VLLM_KEY"] = "k", ["OPENAI_TEAM2_KEY"] = "sk-y",
        };
        foreach (var example in examples)
        {
            using var runtime = TestRuntime.Create(example, environment);
            runtime.Providers.All.ShouldNotBeEmpty();
        }

        using var all = TestRuntime.Create(examples[0], environment);
        all.Providers.Find("azure")!.Adapter.ShouldBeOfType<AzureOpenAIAdapter>();
        all.Providers.Find("ollama-native")!.Adapter.ShouldBeOfType<OllamaAdapter>();
        all.Providers.Find("claude-cli")!.Adapter.ShouldBeOfType<CommandAdapter>();
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Switchboard.slnx"))) return directory.FullName;
        }
        throw new InvalidOperationException("The repository root (with Switchboard.slnx) is not above the test's directory.");
    }
}
