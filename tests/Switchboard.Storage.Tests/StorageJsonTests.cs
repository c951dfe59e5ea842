using System.Text.Json;
using Shouldly;
using Xunit;

namespace Switchboard.Storage.Tests;

public sealed class StorageJsonTests
{
    [Fact]
    public void A_report_serializes_in_snake_case_with_words_for_enums_and_no_empty_groups()
    {
        var row = new UsageReportRow { Provider = "openai", Day = new DateOnly(2026, 3, 1), Requests = 3, CostUsd = 0.03m, UnknownCostRequests = 1 };
        var report = new UsageReport { GroupBy = [UsageDimension.Provider, UsageDimension.Day], Rows = [row], Totals = row with { Provider = null, Day = null } };

        var json = JsonSerializer.Serialize(report, StorageJsonContext.Default.UsageReport);

        json.ShouldBe(
            """{"group_by":["provider","day"],"rows":[{"provider":"openai","day":"2026-03-01","requests":3,"errors":0,"input_tokens":0,"cached_input_tokens":0,"cache_write_tokens":0,"output_tokens":0,"reasoning_tokens":0,"cost_usd":0.03,"unknown_cost_requests":1,"estimated_usage_requests":0}],"totals":{"requests":3,"errors":0,"input_tokens":0,"cached_input_tokens":0,"cache_write_tokens":0,"output_tokens":0,"reasoning_tokens":0,"cost_usd":0.03,"unknown_cost_requests":1,"estimated_usage_requests":0}}""");
    }

    [Fact]
    public void A_key_serializes_without_any_secret_field()
    {
        var key = new VirtualKey { Id = "vk_1", Hint = "sk-sb-...abcd", Created = DateTimeOffset.UnixEpoch, BudgetUsd = 5m, BudgetPeriod = BudgetPeriod.Week };

        var json = JsonSerializer.Serialize(key, StorageJsonContext.Default.VirtualKey);

        json.ShouldContain("\"budget_period\":\"week\"");
        json.ShouldContain("\"hint\":\"sk-sb-...abcd\"");
        json.ShouldNotContain("hash");
    }
}
