using Shouldly;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Models_for_one_provider_lists_only_its_rows_and_a_footer_with_count_and_price_date()
    {
        var expected = Catalog().Models.Where(m => m.Provider == "anthropic").ToList();

        var result = await _cli.RunAsync("models", "--provider", "anthropic");

        result.ExitCode.ShouldBe(0, result.ToString());
        var rows = Rows(result.Output);
        rows.Count.ShouldBe(expected.Count);
        rows.ShouldAllBe(row => row[1] == "anthropic");
        rows.Select(r => r[0]).ShouldBe(expected.Select(m => m.Id));
        result.Output.ShouldContain($"{expected.Count} models · prices in USD per million tokens, taken {Catalog().PricesTaken}");
    }

    [Fact]
    public async Task Models_with_a_capability_lists_only_models_that_have_it()
    {
        var expected = Catalog().Models.Count(m => m.Has("vision"));

        var result = await _cli.RunAsync("models", "--capability", "vision");

        result.ExitCode.ShouldBe(0, result.ToString());
        var rows = Rows(result.Output);
        rows.Count.ShouldBe(expected);
        rows.ShouldAllBe(row => row[7].Split(", ", StringSplitOptions.None).Contains("vision"));
        result.Output.ShouldContain($"{expected} models ·");
    }

    [Fact]
    public async Task Models_shows_the_name_a_client_writes_and_prices_per_million_tokens()
    {
        var result = await _cli.RunAsync("models", "--provider", "groq");

        var rows = Rows(result.Output);
        // Written bare, groq's openai/gpt-oss-120b would go to OpenAI: the table must say groq/.
        rows.ShouldContain(r => r[0] == "groq/openai/gpt-oss-120b");
        var llama = rows.Single(r => r[0] == "llama-3.3-70b-versatile");
        llama[2].ShouldBe("131,072");
        llama[4].ShouldBe("0.59");
        llama[5].ShouldBe("—");
        llama[6].ShouldBe("0.79");
    }

    [Fact]
    public async Task Models_shows_an_unknown_price_as_unknown_never_as_zero()
    {
        _cli.WriteFile("switchboard.yaml", """
            models:
              - { name: openai/house-model-7, context_window: 32000 }
            """);

        var result = await _cli.RunAsync("models", "--search", "house-model");

        result.ExitCode.ShouldBe(0, result.ToString());
        var row = Rows(result.Output).ShouldHaveSingleItem();
        row[0].ShouldBe("house-model-7");
        row[2].ShouldBe("32,000");
        row[3].ShouldBe("—");
        row[4].ShouldBe("—");
        row[6].ShouldBe("—");
    }

    [Fact]
    public async Task Models_with_an_unknown_provider_is_a_usage_error_listing_the_providers()
    {
        var result = await _cli.RunAsync("models", "--provider", "acme");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("Unknown provider 'acme'");
        result.Errors.ShouldContain("openrouter");
    }

    [Fact]
    public async Task Models_that_match_nothing_says_so()
    {
        var result = await _cli.RunAsync("models", "--capability", "telepathy");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("No models match.");
        result.Output.ShouldContain("Capabilities in the catalog:");
        result.Output.ShouldContain("0 models");
    }

    private static ModelCatalog Catalog() => ModelCatalog.Create([]);

    /// <summary>The table's body rows, each as its trimmed cells.</summary>
    private static List<string[]> Rows(string output) =>
        output.Split('\n')
            .Where(line => line.StartsWith('│'))
            .Select(line => line.Trim().Trim('│').Split('│').Select(cell => cell.Trim()).ToArray())
            .Skip(1)
            .ToList();
}
