using Shouldly;
using Switchboard.Storage;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Cli.Tests;

/// <summary><c>switchboard usage</c>: the usage log of the store the config names, as a table or CSV.</summary>
public sealed class UsageCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A store at <c>usage.db</c> in the working directory, named relatively by the config, with three requests in it.</summary>
    private async Task SeedAsync()
    {
        _cli.WriteFile("switchboard.yaml", "storage: sqlite:usage.db\n");
        await using var store = await SwitchboardStore.OpenAsync("sqlite:" + Path.Combine(_cli.WorkingDirectory, "usage.db"), TimeProvider.System);
        var day = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        await store.WriteUsageAsync(
        [
            Record(day, "openai", "gpt-4o-mini", 0.00000855m),
            Record(day.AddMinutes(1), "openai", "gpt-4o-mini", 0.00000855m),
            Record(day.AddMinutes(2), "local", "llama, \"tuned\"", null),
        ]);
    }

    private static UsageRecord Record(DateTimeOffset time, string provider, string model, decimal? cost) => new()
    {
        Id = Guid.CreateVersion7(time),
        Time = time,
        Provider = provider,
        Model = model,
        InputTokens = 19,
        CachedInputTokens = 4,
        OutputTokens = 10,
        ReasoningTokens = 2,
        CostUsd = cost,
        Status = 200,
    };

    [Fact]
    public async Task The_table_has_a_row_per_group_a_total_and_counts_unknown_costs_apart()
    {
        await SeedAsync();

        var result = await _cli.RunAsync("usage", "--group-by", "provider,model");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Output.Split('\n');
        lines.ShouldContain(l => l.Contains("gpt-4o-mini") && l.Contains(" 2 ") && l.Contains("$0.0000171"));
        lines.ShouldContain(l => l.Contains("llama, \"tuned\"") && l.Contains(" 1 "));
        lines.ShouldContain(l => l.Contains("Total") && l.Contains(" 3 ") && l.Contains("57") && l.Contains("$0.0000171"));
        result.Output.ShouldContain("1 requests were answered by models whose price is unknown");
    }

    [Fact]
    public async Task Csv_quotes_fields_per_rfc_4180_and_ends_with_the_total()
    {
        await SeedAsync();

        var result = await _cli.RunAsync("usage", "--group-by", "model", "--format", "csv");

        result.ExitCode.ShouldBe(0, result.ToString());
        var lines = result.Output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldBe(
        [
            "model,requests,errors,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd,unknown_cost_requests,estimated_usage_requests",
            "gpt-4o-mini,2,0,38,8,0,20,4,0.0000171,0,0",
            "\"llama, \"\"tuned\"\"\",1,0,19,4,0,10,2,0,1,0",
            "total,3,0,57,12,0,30,6,0.0000171,1,0",
        ]);
    }

    [Fact]
    public async Task A_time_range_selects_the_requests_in_it()
    {
        await SeedAsync();

        var inside = await _cli.RunAsync("usage", "--from", "2026-11-20", "--to", "2026-11-21", "--format", "csv");
        var outside = await _cli.RunAsync("usage", "--from", "2026-11-21T00:00:00Z", "--format", "csv");

        inside.Output.ShouldContain("total,3,");
        outside.Output.ShouldContain("total,0,");
    }

    [Fact]
    public async Task An_unknown_group_is_a_usage_error_that_lists_the_allowed_ones()
    {
        await SeedAsync();

        var result = await _cli.RunAsync("usage", "--group-by", "colour");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("provider, model, key, user, agent, stage, route, day");
    }

    [Fact]
    public async Task Storage_none_says_no_usage_is_kept()
    {
        _cli.WriteFile("switchboard.yaml", "storage: none\n");

        var result = await _cli.RunAsync("usage");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Errors.ShouldContain("storage: none");
    }
}
