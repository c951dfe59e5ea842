using System.Data.Common;
using System.Text;
using Switchboard.Usage;

namespace Switchboard.Storage.Backends;

/// <summary>
/// What SQLite and PostgreSQL share: every query but the batch insert of usage and the migration lock. Both
/// speak <c>INSERT ... ON CONFLICT DO UPDATE ... RETURNING</c> and <c>@name</c> parameters, and the columns
/// hold the same kinds of values (see <see cref="Columns"/>), so one SQL text serves both.
/// </summary>
internal abstract partial class SqlStore : ISwitchboardStore
{
    private const string KeyColumns =
        "id, name, key_hint, created_ms, expires_ms, revoked_ms, allowed_models, allowed_routes, rpm_limit, tpm_limit, budget_nanousd, budget_period, metadata";

    private readonly SemaphoreSlim? _writeGate;

    // The earliest rate window this instance has not yet checked for old windows to delete; another process
    // deleting the same rows does no harm.
    private long _rateWindowsPurgedUpTo = long.MinValue;

    protected SqlStore(StoreConnection connection, TimeProvider timeProvider, bool serializeWrites)
    {
        Connection = connection;
        Time = timeProvider;
        _writeGate = serializeWrites ? new SemaphoreSlim(1, 1) : null;
    }

    public StoreBackend Backend => Connection.Backend;

    public string Description => Connection.Redacted;

    public int SchemaVersion { get; private set; }

    /// <summary>How many migrations opening this store applied (none when another process or an earlier open had).</summary>
    internal int MigrationsAppliedAtOpen { get; private set; }

    protected StoreConnection Connection { get; }

    protected TimeProvider Time { get; }

    /// <summary>An open connection from the pool, set up for this backend.</summary>
    internal abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Begins the migration transaction, holding a lock that keeps every other process out until it ends.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Inserts a batch of usage records in one transaction, skipping ids already stored.</summary>
    protected abstract Task InsertUsageAsync(DbConnection connection, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>Applies the migrations this database has not seen, once, even with other processes opening it at the same time.</summary>
    internal async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var migrations = Migration.For(Backend);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginMigrationAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_ms BIGINT NOT NULL)",
            cancellationToken);

        var applied = new HashSet<int>();
        await using (var command = Command(connection, transaction, "SELECT version FROM schema_migrations"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) applied.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        var newest = applied.Count == 0 ? 0 : applied.Max();
        if (newest > migrations.Count)
        {
            throw new StoreException(
                $"The store at {Connection.Redacted} has schema version {newest}, newer than this Switchboard knows ({migrations.Count}): it was opened by a newer version. Upgrade Switchboard.");
        }

        var count = 0;
        foreach (var migration in migrations)
        {
            if (applied.Contains(migration.Version)) continue;
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = Command(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_ms) VALUES (@version, @name, @applied)");
            Add(record, "@version", migration.Version);
            Add(record, "@name", migration.Name);
            Add(record, "@applied", Columns.ToMilliseconds(Time.GetUtcNow()));
            await record.ExecuteNonQueryAsync(cancellationToken);
            count++;
        }
        await transaction.CommitAsync(cancellationToken);
        MigrationsAppliedAtOpen = count;
        SchemaVersion = migrations.Count;
    }

    public async Task WriteUsageAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) return;
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await InsertUsageAsync(connection, records, cancellationToken);
    }

    public async Task<UsageReport> QueryUsageAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var groupBy = query.GroupBy.Distinct().ToArray();
        var sql = new StringBuilder("SELECT ");
        foreach (var dimension in groupBy) sql.Append(ColumnOf(dimension)).Append(", ");
        sql.Append("""
            COUNT(*),
            COALESCE(SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0),
            CAST(COALESCE(SUM(input_tokens), 0) AS BIGINT),
            CAST(COALESCE(SUM(cached_input_tokens), 0) AS BIGINT),
            CAST(COALESCE(SUM(cache_write_tokens), 0) AS BIGINT),
            CAST(COALESCE(SUM(output_tokens), 0) AS BIGINT),
            CAST(COALESCE(SUM(reasoning_tokens), 0) AS BIGINT),
            CAST(COALESCE(SUM(cost_nanousd), 0) AS BIGINT),
            COALESCE(SUM(CASE WHEN cost_nanousd IS NULL THEN 1 ELSE 0 END), 0),
            COALESCE(SUM(CASE WHEN usage_estimated THEN 1 ELSE 0 END), 0)
            FROM usage_records WHERE 1 = 1
            """);

        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Only the filters that are set become conditions: the planner sees plain comparisons it can index.
        if (query.From is { } from) Filter(command, sql, "time_ms >= @from", "@from", Columns.ToMilliseconds(from));
        if (query.To is { } to) Filter(command, sql, "time_ms < @to", "@to", Columns.ToMilliseconds(to));
        if (query.KeyId is { } key) Filter(command, sql, "key_id = @key", "@key", key);
        if (query.Route is { } route) Filter(command, sql, "route = @route", "@route", route);
        if (query.Agent is { } agent) Filter(command, sql, "agent = @agent", "@agent", agent);
        if (query.Provider is { } provider) Filter(command, sql, "provider = @provider", "@provider", provider);
        if (query.Model is { } model) Filter(command, sql, "model = @model", "@model", model);
        if (query.User is { } user) Filter(command, sql, "user_name = @user", "@user", user);
        if (groupBy.Length > 0)
        {
            sql.Append(" GROUP BY ");
            for (var i = 0; i < groupBy.Length; i++) sql.Append(i == 0 ? "" : ", ").Append(ColumnOf(groupBy[i]));
        }
        command.CommandText = sql.ToString();

        var rows = new List<UsageReportRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = ReadTotals(reader, groupBy.Length);
                if (row.Requests == 0) continue;
                for (var i = 0; i < groupBy.Length; i++) row = WithGroupValue(row, groupBy[i], reader, i);
                rows.Add(row);
            }
        }
        // Sorted here rather than in SQL: the two backends order NULLs and text differently.
        rows.Sort((a, b) => CompareGroups(a, b, groupBy));
        return new UsageReport { GroupBy = groupBy, From = query.From, To = query.To, Rows = rows, Totals = Sum(rows) };
    }

    public async Task<CreatedVirtualKey> CreateKeyAsync(VirtualKeyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RequestsPerMinute is < 1) throw new ArgumentException("A requests-per-minute limit must be at least 1.", nameof(options));
        if (options.TokensPerMinute is < 1) throw new ArgumentException("A tokens-per-minute limit must be at least 1.", nameof(options));
        if (options.BudgetUsd is < 0) throw new ArgumentException("A budget cannot be negative.", nameof(options));
        if (!Enum.IsDefined(options.BudgetPeriod)) throw new ArgumentException("Unknown budget period.", nameof(options));

        var key = VirtualKeys.NewKey();
        var record = new VirtualKey
        {
            Id = VirtualKeys.NewId(),
            Name = options.Name,
            Hint = VirtualKeys.Hint(key),
            // Kept to the millisecond, as stored, so the record returned equals the one read back.
            Created = Columns.FromMilliseconds(Columns.ToMilliseconds(Time.GetUtcNow())),
            Expires = options.Expires is { } expires ? Columns.FromMilliseconds(Columns.ToMilliseconds(expires)) : null,
            AllowedModels = [.. options.AllowedModels],
            AllowedRoutes = [.. options.AllowedRoutes],
            RequestsPerMinute = options.RequestsPerMinute,
            TokensPerMinute = options.TokensPerMinute,
            BudgetUsd = options.BudgetUsd,
            BudgetPeriod = options.BudgetPeriod,
            Metadata = new Dictionary<string, string>(options.Metadata),
        };

        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, $"INSERT INTO virtual_keys (key_hash, {KeyColumns}) VALUES (@hash, @id, @name, @hint, @created, @expires, NULL, @models, @routes, @rpm, @tpm, @budget, @period, @metadata)");
        Add(command, "@hash", VirtualKeys.Hash(key));
        Add(command, "@id", record.Id);
        Add(command, "@name", record.Name);
        Add(command, "@hint", record.Hint);
        Add(command, "@created", Columns.ToMilliseconds(record.Created));
        Add(command, "@expires", record.Expires is { } e ? Columns.ToMilliseconds(e) : null);
        Add(command, "@models", Columns.ToJson(record.AllowedModels));
        Add(command, "@routes", Columns.ToJson(record.AllowedRoutes));
        Add(command, "@rpm", record.RequestsPerMinute);
        Add(command, "@tpm", record.TokensPerMinute);
        Add(command, "@budget", record.BudgetUsd is { } budget ? Columns.ToNanos(budget) : null);
        Add(command, "@period", Columns.ToText(record.BudgetPeriod));
        Add(command, "@metadata", Columns.ToJson(record.Metadata));
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new CreatedVirtualKey(key, record);
    }

    public async Task<VirtualKey?> FindKeyAsync(string presentedKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presentedKey);
        // No lookup for what cannot be one of our keys (a provider's key, a typo): it could not match anyway.
        if (!VirtualKeys.LooksLikeKey(presentedKey)) return null;
        // Looking up by hash leaks no timing a caller can use: it controls the key, not where its hash lands.
        return await ReadKeyAsync("key_hash = @value", VirtualKeys.Hash(presentedKey), cancellationToken);
    }

    public Task<VirtualKey?> GetKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ReadKeyAsync("id = @value", id, cancellationToken);
    }

    public async Task<IReadOnlyList<VirtualKey>> ListKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {KeyColumns} FROM virtual_keys ORDER BY created_ms, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<VirtualKey>();
        while (await reader.ReadAsync(cancellationToken)) keys.Add(ReadKey(reader));
        return keys;
    }

    public async Task<bool> RevokeKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "UPDATE virtual_keys SET revoked_ms = COALESCE(revoked_ms, @now) WHERE id = @id");
        Add(command, "@now", Columns.ToMilliseconds(Time.GetUtcNow()));
        Add(command, "@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<PeriodSpend>> AddSpendAsync(IReadOnlyList<SpendScope> scopes, decimal usd, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentOutOfRangeException.ThrowIfNegative(usd);
        // One row may be updated once per statement, so a scope named twice is counted once.
        var distinct = scopes.Distinct().ToArray();
        if (distinct.Length == 0) return [];

        var sql = new StringBuilder("INSERT INTO spend_ledger (scope, period, window_start_ms, spend_nanousd) VALUES ");
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        Add(command, "@usd", Columns.ToNanos(usd));
        for (var p = 0; p < BudgetPeriods.All.Count; p++)
        {
            Add(command, $"@p{p}", Columns.ToText(BudgetPeriods.All[p]));
            Add(command, $"@w{p}", Columns.ToMilliseconds(BudgetPeriods.WindowStart(BudgetPeriods.All[p], time)));
        }
        for (var s = 0; s < distinct.Length; s++)
        {
            Add(command, $"@s{s}", distinct[s].ToString());
            for (var p = 0; p < BudgetPeriods.All.Count; p++) sql.Append(s + p == 0 ? "" : ", ").Append($"(@s{s}, @p{p}, @w{p}, @usd)");
        }
        // Atomic in the database: two processes adding at once both count, and each gets the sum after its add.
        sql.Append("""
             ON CONFLICT (scope, period, window_start_ms) DO UPDATE SET spend_nanousd = spend_ledger.spend_nanousd + excluded.spend_nanousd
             RETURNING scope, period, spend_nanousd
            """);
        command.CommandText = sql.ToString();

        var totals = new Dictionary<(string Scope, string Period), long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) totals[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        }
        var result = new List<PeriodSpend>(distinct.Length * BudgetPeriods.All.Count);
        foreach (var scope in distinct)
        {
            foreach (var period in BudgetPeriods.All)
                result.Add(Spend(scope, period, time, totals[(scope.ToString(), Columns.ToText(period))]));
        }
        return result;
    }

    public async Task<PeriodSpend> GetSpendAsync(SpendScope scope, BudgetPeriod period, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT spend_nanousd FROM spend_ledger WHERE scope = @scope AND period = @period AND window_start_ms = @window");
        Add(command, "@scope", scope.ToString());
        Add(command, "@period", Columns.ToText(period));
        Add(command, "@window", Columns.ToMilliseconds(BudgetPeriods.WindowStart(period, time)));
        var nanos = await command.ExecuteScalarAsync(cancellationToken);
        return Spend(scope, period, time, nanos is null or DBNull ? 0 : Convert.ToInt64(nanos, System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<RateWindow> IncrementRateAsync(RateScope scope, long amount, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var window = RateWindowStart(time);
        using var lease = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        long count;
        await using (var command = Command(connection, null, """
            INSERT INTO rate_windows (scope, window_start_ms, amount) VALUES (@scope, @window, @amount)
            ON CONFLICT (scope, window_start_ms) DO UPDATE SET amount = rate_windows.amount + excluded.amount
            RETURNING amount
            """))
        {
            Add(command, "@scope", scope.ToString());
            Add(command, "@window", window);
            Add(command, "@amount", amount);
            count = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        // Once per minute per process: windows before the previous minute count for nothing any more.
        var purged = Interlocked.Read(ref _rateWindowsPurgedUpTo);
        if (window > purged && Interlocked.CompareExchange(ref _rateWindowsPurgedUpTo, window, purged) == purged)
        {
            await using var purge = Command(connection, null, "DELETE FROM rate_windows WHERE window_start_ms < @cutoff");
            Add(purge, "@cutoff", window - Columns.MillisecondsPerMinute);
            await purge.ExecuteNonQueryAsync(cancellationToken);
        }
        return Window(scope, window, count);
    }

    public async Task<RateWindow> GetRateAsync(RateScope scope, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        var window = RateWindowStart(time);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT amount FROM rate_windows WHERE scope = @scope AND window_start_ms = @window");
        Add(command, "@scope", scope.ToString());
        Add(command, "@window", window);
        var count = await command.ExecuteScalarAsync(cancellationToken);
        return Window(scope, window, count is null or DBNull ? 0 : Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Runs one statement that returns one value; for tests and tools that look at the tables themselves.</summary>
    internal async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, sql);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    protected static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Lets one write at a time into the database from this process where the database takes one writer at a
    /// time anyway (SQLite): queued here, writers wait in order instead of polling in SQLite's busy handler.
    /// </summary>
    protected async ValueTask<WriteLease> EnterWriteAsync(CancellationToken cancellationToken)
    {
        if (_writeGate is null) return default;
        await _writeGate.WaitAsync(cancellationToken);
        return new WriteLease(_writeGate);
    }

    protected void DisposeWriteGate() => _writeGate?.Dispose();

    private async Task<VirtualKey?> ReadKeyAsync(string condition, string value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {KeyColumns} FROM virtual_keys WHERE {condition}");
        Add(command, "@value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadKey(reader) : null;
    }

    private static VirtualKey ReadKey(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.IsDBNull(1) ? null : reader.GetString(1),
        Hint = reader.GetString(2),
        Created = Columns.FromMilliseconds(reader.GetInt64(3)),
        Expires = reader.IsDBNull(4) ? null : Columns.FromMilliseconds(reader.GetInt64(4)),
        Revoked = reader.IsDBNull(5) ? null : Columns.FromMilliseconds(reader.GetInt64(5)),
        AllowedModels = Columns.ListFromJson(reader.IsDBNull(6) ? null : reader.GetString(6)),
        AllowedRoutes = Columns.ListFromJson(reader.IsDBNull(7) ? null : reader.GetString(7)),
        RequestsPerMinute = reader.IsDBNull(8) ? null : reader.GetInt32(8),
        TokensPerMinute = reader.IsDBNull(9) ? null : reader.GetInt64(9),
        BudgetUsd = reader.IsDBNull(10) ? null : Columns.FromNanos(reader.GetInt64(10)),
        BudgetPeriod = Columns.PeriodFromText(reader.GetString(11)),
        Metadata = Columns.MapFromJson(reader.IsDBNull(12) ? null : reader.GetString(12)),
    };

    private static PeriodSpend Spend(SpendScope scope, BudgetPeriod period, DateTimeOffset time, long nanos) =>
        new(scope, period, Columns.FromNanos(nanos), BudgetPeriods.WindowStart(period, time), BudgetPeriods.ResetsAt(period, time));

    private static long RateWindowStart(DateTimeOffset time)
    {
        var milliseconds = Columns.ToMilliseconds(time);
        return milliseconds - (milliseconds % Columns.MillisecondsPerMinute);
    }

    private static RateWindow Window(RateScope scope, long windowStart, long count) =>
        new(scope, count, Columns.FromMilliseconds(windowStart), Columns.FromMilliseconds(windowStart + Columns.MillisecondsPerMinute));

    private static void Filter(DbCommand command, StringBuilder sql, string condition, string name, object value)
    {
        sql.Append(" AND ").Append(condition);
        Add(command, name, value);
    }

    private static string ColumnOf(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Provider => "provider",
        UsageDimension.Model => "model",
        UsageDimension.Key => "key_id",
        UsageDimension.User => "user_name",
        UsageDimension.Agent => "agent",
        UsageDimension.Stage => "stage",
        UsageDimension.Route => "route",
        // Integer division: the UTC day number since 1970, the same on both backends.
        UsageDimension.Day => "(time_ms / 86400000)",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "unknown usage dimension"),
    };

    private static long Int64(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static UsageReportRow ReadTotals(DbDataReader reader, int first) => new()
    {
        Requests = Int64(reader, first),
        Errors = Int64(reader, first + 1),
        InputTokens = Int64(reader, first + 2),
        CachedInputTokens = Int64(reader, first + 3),
        CacheWriteTokens = Int64(reader, first + 4),
        OutputTokens = Int64(reader, first + 5),
        ReasoningTokens = Int64(reader, first + 6),
        CostUsd = Columns.FromNanos(Int64(reader, first + 7)),
        UnknownCostRequests = Int64(reader, first + 8),
        EstimatedUsageRequests = Int64(reader, first + 9),
    };

    private static UsageReportRow WithGroupValue(UsageReportRow row, UsageDimension dimension, DbDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal)) return row;
        if (dimension == UsageDimension.Day) return row with { Day = DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(Int64(reader, ordinal))) };
        var text = reader.GetString(ordinal);
        return dimension switch
        {
            UsageDimension.Provider => row with { Provider = text },
            UsageDimension.Model => row with { Model = text },
            UsageDimension.Key => row with { KeyId = text },
            UsageDimension.User => row with { User = text },
            UsageDimension.Agent => row with { Agent = text },
            UsageDimension.Stage => row with { Stage = text },
            UsageDimension.Route => row with { Route = text },
            _ => row,
        };
    }

    private static int CompareGroups(UsageReportRow a, UsageReportRow b, UsageDimension[] groupBy)
    {
        foreach (var dimension in groupBy)
        {
            var order = dimension == UsageDimension.Day
                ? CompareMissingLast(a.Day, b.Day)
                : CompareMissingLast(TextOf(a, dimension), TextOf(b, dimension));
            if (order != 0) return order;
        }
        return 0;
    }

    private static int CompareMissingLast(DateOnly? a, DateOnly? b) =>
        a is null ? (b is null ? 0 : 1) : b is null ? -1 : a.Value.CompareTo(b.Value);

    private static int CompareMissingLast(string? a, string? b) =>
        a is null ? (b is null ? 0 : 1) : b is null ? -1 : string.CompareOrdinal(a, b);

    private static string? TextOf(UsageReportRow row, UsageDimension dimension) => dimension switch
    {
        UsageDimension.Provider => row.Provider,
        UsageDimension.Model => row.Model,
        UsageDimension.Key => row.KeyId,
        UsageDimension.User => row.User,
        UsageDimension.Agent => row.Agent,
        UsageDimension.Stage => row.Stage,
        UsageDimension.Route => row.Route,
        _ => null,
    };

    private static UsageReportRow Sum(List<UsageReportRow> rows)
    {
        var total = new UsageReportRow();
        foreach (var row in rows)
        {
            total = total with
            {
                Requests = total.Requests + row.Requests,
                Errors = total.Errors + row.Errors,
                InputTokens = total.InputTokens + row.InputTokens,
                CachedInputTokens = total.CachedInputTokens + row.CachedInputTokens,
                CacheWriteTokens = total.CacheWriteTokens + row.CacheWriteTokens,
                OutputTokens = total.OutputTokens + row.OutputTokens,
                ReasoningTokens = total.ReasoningTokens + row.ReasoningTokens,
                CostUsd = total.CostUsd + row.CostUsd,
                UnknownCostRequests = total.UnknownCostRequests + row.UnknownCostRequests,
                EstimatedUsageRequests = total.EstimatedUsageRequests + row.EstimatedUsageRequests,
            };
        }
        return total;
    }

    /// <summary>Releases the write gate, when there is one, at the end of a <c>using</c>.</summary>
    protected readonly struct WriteLease(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }
}
