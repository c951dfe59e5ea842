using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Shouldly;
using Switchboard.Storage.Backends;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Storage.Tests;

/// <summary>
/// What every backend must do, run once per backend by the classes deriving from this one. Each test gets a
/// database of its own (a fresh file, a fresh schema), and may open it several times, as several gateway
/// processes would.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>The connection of this test's own empty database.</summary>
    protected string Connection { get; private set; } = "";

    protected abstract StoreBackend Backend { get; }

    /// <summary>Makes an empty database and returns its connection.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    protected abstract Task DeleteDatabaseAsync();

    public async Task InitializeAsync() => Connection = await CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var opened in _opened) await opened.DisposeAsync();
        await DeleteDatabaseAsync();
    }

    /// <summary>Opens the test's database, as one more gateway process would; closed after the test.</summary>
    protected async Task<ISwitchboardStore> OpenAsync(TimeProvider? time = null)
    {
        var store = await SwitchboardStore.OpenAsync(Connection, time ?? TimeProvider.System);
        _opened.Add(store);
        return store;
    }

    private static SqlStore Inside(ISwitchboardStore store) => (SqlStore)store;

    private static async Task<long> CountAsync(ISwitchboardStore store, string table) =>
        Convert.ToInt64(await Inside(store).ScalarAsync($"SELECT COUNT(*) FROM {table}"), CultureInfo.InvariantCulture);

    // ---- migrations ----

    [Fact]
    public async Task Open_applies_every_migration_once_and_opening_again_applies_none()
    {
        var first = await OpenAsync();
        first.Backend.ShouldBe(Backend);
        var expected = Migration.For(Backend).Count;
        first.SchemaVersion.ShouldBe(expected);
        Inside(first).MigrationsAppliedAtOpen.ShouldBe(expected);

        var second = await OpenAsync();
        second.SchemaVersion.ShouldBe(expected);
        Inside(second).MigrationsAppliedAtOpen.ShouldBe(0);
        (await CountAsync(second, "schema_migrations")).ShouldBe(expected);
    }

    [Fact]
    public async Task Stores_opening_a_fresh_database_at_once_migrate_it_once()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => OpenAsync())));

        stores.Sum(s => Inside(s).MigrationsAppliedAtOpen).ShouldBe(Migration.For(Backend).Count);
        (await CountAsync(stores[0], "schema_migrations")).ShouldBe(Migration.For(Backend).Count);
    }

    // ---- usage through the writer ----

    [Fact]
    public async Task Ten_thousand_records_through_the_writer_are_ten_thousand_rows()
    {
        var store = await OpenAsync();
        var writer = new UsageWriter(store, TimeProvider.System);
        for (var i = 0; i < 10_000; i++) (await writer.RecordAsync(Records.Make(i))).ShouldBeTrue();
        await writer.DisposeAsync();

        writer.Written.ShouldBe(10_000);
        writer.Dropped.ShouldBe(0);
        writer.Failed.ShouldBe(0);
        writer.Pending.ShouldBe(0);
        (await CountAsync(store, "usage_records")).ShouldBe(10_000);
        var report = await store.QueryUsageAsync(new UsageQuery());
        report.Totals.Requests.ShouldBe(10_000);
        report.Totals.InputTokens.ShouldBe(100_000);
        report.Totals.CostUsd.ShouldBe(10m);
    }

    [Fact]
    public async Task Stopping_the_writer_while_a_producer_runs_loses_no_accepted_record()
    {
        var store = await OpenAsync();
        var writer = new UsageWriter(store, TimeProvider.System, new UsageWriterOptions { Capacity = 1_000, BatchSize = 200 });
        long accepted = 0;
        var producer = Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                if (!await writer.RecordAsync(Records.Make(i))) return;
                Interlocked.Increment(ref accepted);
            }
        });
        await Eventually(() => Interlocked.Read(ref accepted) >= 3_000);

        await writer.StopAsync();
        await producer;

        accepted.ShouldBeGreaterThanOrEqualTo(3_000);
        writer.Written.ShouldBe(accepted);
        writer.Dropped.ShouldBe(1); // the one record offered after the stop, refused and counted
        (await CountAsync(store, "usage_records")).ShouldBe(accepted);
        (await writer.RecordAsync(Records.Make())).ShouldBeFalse();
        writer.TryRecord(Records.Make()).ShouldBeFalse();
        writer.Dropped.ShouldBe(3);
    }

    [Fact]
    public async Task Flush_writes_what_was_recorded_without_waiting_for_the_batch_to_fill()
    {
        var store = await OpenAsync();
        await using var writer = new UsageWriter(store, TimeProvider.System, new UsageWriterOptions { FlushInterval = TimeSpan.FromMinutes(5) });
        for (var i = 0; i < 3; i++) writer.TryRecord(Records.Make(i)).ShouldBeTrue();

        await writer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));

        (await store.QueryUsageAsync(new UsageQuery())).Totals.Requests.ShouldBe(3);
        writer.Pending.ShouldBe(0);
    }

    [Fact]
    public async Task A_batch_written_twice_is_stored_once()
    {
        var store = await OpenAsync();
        UsageRecord[] batch = [Records.Make(1), Records.Make(2)];

        await store.WriteUsageAsync(batch);
        await store.WriteUsageAsync(batch);

        (await CountAsync(store, "usage_records")).ShouldBe(2);
    }

    // ---- reports ----

    /// <summary>Five requests whose sums are worked out by hand in the tests below.</summary>
    private static UsageRecord[] ReportRecords()
    {
        var day1 = Records.Day1;
        return
        [
            Records.Make(1, day1, "openai", "gpt-4o", "vk_a", input: 100, output: 50, cost: 0.01m) with
            {
                CachedInputTokens = 20, ReasoningTokens = 10, Route = "smart", Agent = "pricing", Labels = ["team-a", "batch"],
            },
            Records.Make(2, day1.AddHours(1), "openai", "gpt-4o", "vk_b", input: 200, output: 100, cost: 0.02m),
            Records.Make(3, day1.AddHours(2), "openai", "gpt-4o-mini", "vk_a", input: 1000, output: 10, cost: null) with { CacheWriteTokens = 300 },
            Records.Make(4, day1.AddHours(3), "anthropic", "claude-sonnet-4-5", "vk_a", input: 10, output: 5, cost: 0.000001m, status: 429) with
            {
                ErrorCategory = "RateLimited", UsageEstimated = true, Route = "smart",
            },
            Records.Make(5, day1.AddDays(1), "anthropic", "claude-sonnet-4-5", key: null, input: 1, output: 1, cost: 0.5m),
        ];
    }

    [Fact]
    public async Task Report_groups_by_provider_with_hand_computed_sums_and_unknown_cost_counted_apart()
    {
        var store = await OpenAsync();
        await store.WriteUsageAsync(ReportRecords());

        var report = await store.QueryUsageAsync(new UsageQuery { GroupBy = [UsageDimension.Provider] });

        report.GroupBy.ShouldBe([UsageDimension.Provider]);
        report.Rows.Select(r => r.Provider).ShouldBe(["anthropic", "openai"]);
        var anthropic = report.Rows[0];
        anthropic.Requests.ShouldBe(2);
        anthropic.Errors.ShouldBe(1);
        anthropic.InputTokens.ShouldBe(11);
        anthropic.OutputTokens.ShouldBe(6);
        anthropic.CostUsd.ShouldBe(0.500001m);
        anthropic.UnknownCostRequests.ShouldBe(0);
        anthropic.EstimatedUsageRequests.ShouldBe(1);
        anthropic.Model.ShouldBeNull();

        var openai = report.Rows[1];
        openai.Requests.ShouldBe(3);
        openai.Errors.ShouldBe(0);
        openai.InputTokens.ShouldBe(1300);
        openai.CachedInputTokens.ShouldBe(20);
        openai.CacheWriteTokens.ShouldBe(300);
        openai.OutputTokens.ShouldBe(160);
        openai.ReasoningTokens.ShouldBe(10);
        openai.CostUsd.ShouldBe(0.03m); // the request of unknown price adds nothing ...
        openai.UnknownCostRequests.ShouldBe(1); // ... and is counted here instead

        report.Totals.Requests.ShouldBe(5);
        report.Totals.InputTokens.ShouldBe(1311);
        report.Totals.CachedInputTokens.ShouldBe(20);
        report.Totals.CacheWriteTokens.ShouldBe(300);
        report.Totals.OutputTokens.ShouldBe(166);
        report.Totals.ReasoningTokens.ShouldBe(10);
        report.Totals.CostUsd.ShouldBe(0.530001m);
        report.Totals.UnknownCostRequests.ShouldBe(1);
        report.Totals.Errors.ShouldBe(1);
        report.Totals.Provider.ShouldBeNull();
    }

    [Fact]
    public async Task Report_groups_by_several_columns_in_the_order_given()
    {
        var store = await OpenAsync();
        await store.WriteUsageAsync(ReportRecords());

        var report = await store.QueryUsageAsync(new UsageQuery { GroupBy = [UsageDimension.Day, UsageDimension.Key, UsageDimension.Model] });

        report.Rows.Select(r => (r.Day, r.KeyId, r.Model, r.Requests, r.CostUsd)).ShouldBe(
        [
            (new DateOnly(2026, 3, 1), "vk_a", "claude-sonnet-4-5", 1L, 0.000001m),
            (new DateOnly(2026, 3, 1), "vk_a", "gpt-4o", 1L, 0.01m),
            (new DateOnly(2026, 3, 1), "vk_a", "gpt-4o-mini", 1L, 0m),
            (new DateOnly(2026, 3, 1), "vk_b", "gpt-4o", 1L, 0.02m),
            (new DateOnly(2026, 3, 2), null, "claude-sonnet-4-5", 1L, 0.5m), // no key: its own group, sorted last
        ]);
        report.Totals.Requests.ShouldBe(5);
    }

    [Fact]
    public async Task Report_filters_by_time_range_key_route_and_agent()
    {
        var store = await OpenAsync();
        await store.WriteUsageAsync(ReportRecords());
        var day2 = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);

        var secondDay = await store.QueryUsageAsync(new UsageQuery { From = day2, To = day2.AddDays(1) });
        secondDay.Totals.Requests.ShouldBe(1);
        secondDay.Totals.CostUsd.ShouldBe(0.5m);
        secondDay.From.ShouldBe(day2);

        var firstDay = await store.QueryUsageAsync(new UsageQuery { To = day2 });
        firstDay.Totals.Requests.ShouldBe(4);

        var keyA = await store.QueryUsageAsync(new UsageQuery { KeyId = "vk_a", GroupBy = [UsageDimension.Model] });
        keyA.Totals.Requests.ShouldBe(3);
        keyA.Totals.InputTokens.ShouldBe(1110);
        keyA.Totals.UnknownCostRequests.ShouldBe(1);

        (await store.QueryUsageAsync(new UsageQuery { Route = "smart" })).Totals.Requests.ShouldBe(2);
        (await store.QueryUsageAsync(new UsageQuery { Route = "smart", Agent = "pricing" })).Totals.Requests.ShouldBe(1);
        var none = await store.QueryUsageAsync(new UsageQuery { Agent = "nobody", GroupBy = [UsageDimension.Agent] });
        none.Rows.ShouldBeEmpty();
        none.Totals.Requests.ShouldBe(0);
    }

    // ---- virtual keys ----

    [Fact]
    public async Task Created_key_is_shown_once_and_only_its_hash_is_stored()
    {
        var store = await OpenAsync();

        var created = await store.CreateKeyAsync(new VirtualKeyOptions { Name = "ci" });

        created.Key.ShouldStartWith("sk-sb-");
        created.Key.Length.ShouldBeGreaterThanOrEqualTo("sk-sb-".Length + 32);
        created.Key["sk-sb-".Length..].ShouldAllBe(c => char.IsAsciiLetterOrDigit(c));
        created.ToString().ShouldNotContain(created.Key);
        created.Record.Hint.ShouldBe("sk-sb-..." + created.Key[^4..]);

        var hash = (string)(await Inside(store).ScalarAsync($"SELECT key_hash FROM virtual_keys WHERE id = '{created.Record.Id}'"))!;
        hash.ShouldNotBe(created.Key);
        hash.ShouldNotContain(created.Key["sk-sb-".Length..]);
        hash.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Key))));
        // The key is in no column of its row.
        var row = (string)(await Inside(store).ScalarAsync(
            "SELECT id || '|' || COALESCE(name, '') || '|' || key_hash || '|' || key_hint FROM virtual_keys"))!;
        row.ShouldNotContain(created.Key);

        var another = await store.CreateKeyAsync(new VirtualKeyOptions());
        another.Key.ShouldNotBe(created.Key);
        another.Record.Id.ShouldNotBe(created.Record.Id);
    }

    [Fact]
    public async Task Key_is_found_by_presenting_it_and_unknown_keys_are_not()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var options = new VirtualKeyOptions
        {
            Name = "search team",
            Expires = time.GetUtcNow().AddDays(30),
            AllowedModels = ["gpt-4o", "claude-sonnet-4-5"],
            AllowedRoutes = ["smart"],
            RequestsPerMinute = 60,
            TokensPerMinute = 100_000,
            BudgetUsd = 12.5m,
            BudgetPeriod = BudgetPeriod.Week,
            Metadata = new Dictionary<string, string> { ["owner"] = "search", ["ticket"] = "OPS-12" },
        };
        var created = await store.CreateKeyAsync(options);

        var found = await store.FindKeyAsync(created.Key);

        found.ShouldNotBeNull();
        found.Id.ShouldBe(created.Record.Id);
        found.Name.ShouldBe("search team");
        found.Created.ShouldBe(time.GetUtcNow());
        found.Expires.ShouldBe(options.Expires);
        found.AllowedModels.ShouldBe(["gpt-4o", "claude-sonnet-4-5"]);
        found.AllowedRoutes.ShouldBe(["smart"]);
        found.RequestsPerMinute.ShouldBe(60);
        found.TokensPerMinute.ShouldBe(100_000);
        found.BudgetUsd.ShouldBe(12.5m);
        found.BudgetPeriod.ShouldBe(BudgetPeriod.Week);
        found.Metadata.ShouldBe(options.Metadata, ignoreOrder: true);
        found.StatusAt(time.GetUtcNow()).ShouldBe(VirtualKeyStatus.Active);
        found.AllowsModel("GPT-4o").ShouldBeTrue();
        found.AllowsModel("o3").ShouldBeFalse();
        var byId = await store.GetKeyAsync(created.Record.Id);
        byId.ShouldNotBeNull();
        (byId.Id, byId.Name, byId.Created, byId.BudgetUsd).ShouldBe((found.Id, found.Name, found.Created, found.BudgetUsd));

        (await store.FindKeyAsync(created.Key[..^1] + (created.Key[^1] == 'a' ? 'b' : 'a'))).ShouldBeNull();
        (await store.FindKeyAsync("sk-proj-not-ours")).ShouldBeNull();
        (await store.FindKeyAsync("")).ShouldBeNull();
        (await store.GetKeyAsync("vk_missing")).ShouldBeNull();
    }

    [Fact]
    public async Task Revoked_and_expired_keys_say_why()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var revoked = await store.CreateKeyAsync(new VirtualKeyOptions { Name = "leaked" });
        time.Advance(TimeSpan.FromSeconds(1));
        var expiring = await store.CreateKeyAsync(new VirtualKeyOptions { Name = "trial", Expires = time.GetUtcNow().AddHours(1) });
        time.Advance(TimeSpan.FromSeconds(1));
        var unlimited = await store.CreateKeyAsync(new VirtualKeyOptions());

        time.Advance(TimeSpan.FromMinutes(10));
        (await store.RevokeKeyAsync(revoked.Record.Id)).ShouldBeTrue();
        var revokedAt = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(10));
        (await store.RevokeKeyAsync(revoked.Record.Id)).ShouldBeTrue(); // again: keeps the first time
        (await store.RevokeKeyAsync("vk_missing")).ShouldBeFalse();
        time.Advance(TimeSpan.FromHours(1));
        var now = time.GetUtcNow();

        var foundRevoked = await store.FindKeyAsync(revoked.Key);
        foundRevoked!.StatusAt(now).ShouldBe(VirtualKeyStatus.Revoked);
        foundRevoked.Revoked.ShouldBe(revokedAt);
        (await store.FindKeyAsync(expiring.Key))!.StatusAt(now).ShouldBe(VirtualKeyStatus.Expired);
        (await store.FindKeyAsync(expiring.Key))!.StatusAt(now.AddHours(-2)).ShouldBe(VirtualKeyStatus.Active);
        (await store.FindKeyAsync(unlimited.Key))!.StatusAt(now).ShouldBe(VirtualKeyStatus.Active);

        var listed = await store.ListKeysAsync();
        listed.Select(k => k.Name).ShouldBe(["leaked", "trial", null]);
        listed[0].Revoked.ShouldBe(revokedAt);
    }

    [Fact]
    public async Task Key_options_out_of_range_are_refused()
    {
        var store = await OpenAsync();

        await Should.ThrowAsync<ArgumentException>(() => store.CreateKeyAsync(new VirtualKeyOptions { RequestsPerMinute = 0 }));
        await Should.ThrowAsync<ArgumentException>(() => store.CreateKeyAsync(new VirtualKeyOptions { BudgetUsd = -1 }));
        (await store.ListKeysAsync()).ShouldBeEmpty();
    }

    // ---- spend ----

    [Fact]
    public async Task Spend_accumulates_per_period_and_resets_at_each_boundary()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero)); // a Saturday
        var store = await OpenAsync(time);
        var key = SpendScope.Key("vk_a");

        await store.AddSpendAsync(key, 1.5m, time.GetUtcNow());
        time.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(59));
        var added = await store.AddSpendAsync(key, 0.25m, time.GetUtcNow()); // 23:59:59
        added.Select(s => (s.Period, s.Usd)).ShouldBe([(BudgetPeriod.Day, 1.75m), (BudgetPeriod.Week, 1.75m), (BudgetPeriod.Month, 1.75m), (BudgetPeriod.Total, 1.75m)]);

        time.Advance(TimeSpan.FromSeconds(1)); // Sunday 1 February, 00:00: a new day and a new month, the same week
        await store.AddSpendAsync(key, 2m, time.GetUtcNow());
        var now = time.GetUtcNow();
        var day = await store.GetSpendAsync(key, BudgetPeriod.Day, now);
        day.Usd.ShouldBe(2m);
        day.WindowStart.ShouldBe(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero));
        day.ResetsAt.ShouldBe(new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero));
        var week = await store.GetSpendAsync(key, BudgetPeriod.Week, now);
        week.Usd.ShouldBe(3.75m);
        week.WindowStart.ShouldBe(new DateTimeOffset(2026, 1, 26, 0, 0, 0, TimeSpan.Zero));
        week.ResetsAt.ShouldBe(new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero));
        var month = await store.GetSpendAsync(key, BudgetPeriod.Month, now);
        month.Usd.ShouldBe(2m);
        month.ResetsAt.ShouldBe(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var total = await store.GetSpendAsync(key, BudgetPeriod.Total, now);
        total.Usd.ShouldBe(3.75m);
        total.ResetsAt.ShouldBeNull();

        time.Advance(TimeSpan.FromDays(1)); // Monday 2 February: a new week
        now = time.GetUtcNow();
        (await store.GetSpendAsync(key, BudgetPeriod.Day, now)).Usd.ShouldBe(0m);
        (await store.GetSpendAsync(key, BudgetPeriod.Week, now)).Usd.ShouldBe(0m);
        (await store.GetSpendAsync(key, BudgetPeriod.Month, now)).Usd.ShouldBe(2m);
        (await store.GetSpendAsync(key, BudgetPeriod.Total, now)).Usd.ShouldBe(3.75m);
        // Spend in the past is still read in its own window.
        (await store.GetSpendAsync(key, BudgetPeriod.Day, new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero))).Usd.ShouldBe(1.75m);
    }

    [Fact]
    public async Task Spend_is_kept_per_scope_and_several_scopes_are_added_at_once()
    {
        var store = await OpenAsync();
        var time = Records.Day1;

        var added = await store.AddSpendAsync([SpendScope.Key("vk_a"), SpendScope.Provider("openai"), SpendScope.Model("gpt-4o")], 0.000000001m, time);
        added.Count.ShouldBe(12);
        await store.AddSpendAsync([SpendScope.Provider("openai"), SpendScope.Provider("openai")], 1m, time); // named twice, counted once

        (await store.GetSpendAsync(SpendScope.Key("vk_a"), BudgetPeriod.Month, time)).Usd.ShouldBe(0.000000001m);
        (await store.GetSpendAsync(SpendScope.Provider("openai"), BudgetPeriod.Month, time)).Usd.ShouldBe(1.000000001m);
        (await store.GetSpendAsync(SpendScope.Model("gpt-4o"), BudgetPeriod.Day, time)).Usd.ShouldBe(0.000000001m);
        (await store.GetSpendAsync(SpendScope.Model("openai"), BudgetPeriod.Day, time)).Usd.ShouldBe(0m);
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => store.AddSpendAsync(SpendScope.Key("vk_a"), -1m, time));
    }

    [Fact]
    public async Task Spend_added_through_two_stores_is_one_shared_budget()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var key = SpendScope.Key("vk_shared");
        var time = Records.Day1;

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).AddSpendAsync(key, 0.01m, time))));

        (await first.GetSpendAsync(key, BudgetPeriod.Day, time)).Usd.ShouldBe(1m);
        (await second.GetSpendAsync(key, BudgetPeriod.Total, time)).Usd.ShouldBe(1m);
    }

    // ---- rate limits ----

    [Fact]
    public async Task Rate_counter_counts_concurrent_increments_exactly()
    {
        var store = await OpenAsync();
        var scope = RateScope.Requests("vk_a");
        var time = Records.Day1.AddSeconds(30);

        var windows = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => store.IncrementRateAsync(scope, 1, time))));

        // Every increment saw a different count: none was lost and none was counted twice.
        windows.Select(w => w.Count).Order().ShouldBe(Enumerable.Range(1, 200).Select(i => (long)i));
        var window = await store.GetRateAsync(scope, time);
        window.Count.ShouldBe(200);
        window.WindowStart.ShouldBe(Records.Day1);
        window.ResetsAt.ShouldBe(Records.Day1.AddMinutes(1));
        window.Remaining(150).ShouldBe(0);
        window.Remaining(250).ShouldBe(50);
        window.Exceeds(200).ShouldBeFalse();
        window.Exceeds(199).ShouldBeTrue();
    }

    [Fact]
    public async Task Rate_counter_is_shared_by_two_store_instances()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        var scope = RateScope.Requests("vk_shared");
        var time = Records.Day1;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).IncrementRateAsync(scope, 1, time))));

        (await first.GetRateAsync(scope, time)).Count.ShouldBe(200);
        (await second.GetRateAsync(scope, time)).Count.ShouldBe(200);
    }

    [Fact]
    public async Task Rate_window_starts_again_each_minute_and_old_windows_are_deleted()
    {
        var store = await OpenAsync();
        var requests = RateScope.Requests("vk_a");
        var tokens = RateScope.Tokens("vk_a");
        var start = Records.Day1;

        (await store.IncrementRateAsync(requests, 1, start.AddSeconds(59))).Count.ShouldBe(1);
        (await store.IncrementRateAsync(tokens, 1_500, start.AddSeconds(59))).Count.ShouldBe(1_500);
        (await store.IncrementRateAsync(tokens, 500, start.AddSeconds(59.9))).Count.ShouldBe(2_000);
        (await store.IncrementRateAsync(requests, 1, start.AddMinutes(1))).Count.ShouldBe(1);
        (await store.GetRateAsync(tokens, start.AddMinutes(1))).Count.ShouldBe(0);
        (await store.GetRateAsync(requests, start)).Count.ShouldBe(1); // the previous minute is still there

        (await store.IncrementRateAsync(requests, 1, start.AddMinutes(3))).Count.ShouldBe(1);
        (await CountAsync(store, "rate_windows")).ShouldBe(1, "windows before the previous minute are deleted");
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not come true within 60 seconds");
            await Task.Delay(5);
        }
    }
}
