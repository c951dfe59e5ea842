using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchboard.Usage;

namespace Switchboard.Storage.Backends;

/// <summary>
/// The store in a SQLite file: write-ahead log (readers never wait for the writer), <c>synchronous=NORMAL</c>
/// (a commit is durable once the log is synced at checkpoint; a power cut may lose the last commits but
/// never corrupts), and a busy timeout so another process holding the write lock is waited for.
/// </summary>
internal sealed class SqliteStore : SqlStore
{
    private const int BusyTimeoutMilliseconds = 10_000;

    private const string InsertUsageSql = """
        INSERT INTO usage_records (id, request_id, time_ms, key_id, user_name, provider, model, route, rule, agent, stage, labels,
            input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_nanousd, usage_estimated,
            latency_ms, ttft_ms, attempts, status, error_category)
        VALUES (@id, @request_id, @time_ms, @key_id, @user_name, @provider, @model, @route, @rule, @agent, @stage, @labels,
            @input_tokens, @cached_input_tokens, @cache_write_tokens, @output_tokens, @reasoning_tokens, @cost_nanousd, @usage_estimated,
            @latency_ms, @ttft_ms, @attempts, @status, @error_category)
        ON CONFLICT (id) DO NOTHING
        """;

    private static readonly string[] UsageParameters =
    [
        "@id", "@request_id", "@time_ms", "@key_id", "@user_name", "@provider", "@model", "@route", "@rule", "@agent", "@stage", "@labels",
        "@input_tokens", "@cached_input_tokens", "@cache_write_tokens", "@output_tokens", "@reasoning_tokens", "@cost_nanousd", "@usage_estimated",
        "@latency_ms", "@ttft_ms", "@attempts", "@status", "@error_category",
    ];

    public SqliteStore(StoreConnection connection, TimeProvider timeProvider)
        : base(connection, timeProvider, serializeWrites: true)
    {
        var file = new SqliteConnectionStringBuilder(connection.ConnectionString).DataSource;
        if (Path.GetDirectoryName(file) is { Length: > 0 } folder && !file.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            Directory.CreateDirectory(folder);
    }

    // One writer at a time (the write gate here, SQLite's lock across processes): the claim's one statement is atomic as it is.
    protected override string ClaimLock => "";

    internal override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(Connection.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per connection, not per file: a pooled connection keeps them, but a new one needs them again.
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}; PRAGMA synchronous = NORMAL;";
            command.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Kept in the file: set once, every later connection of every process uses the write-ahead log.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
        // BEGIN IMMEDIATE: takes the write lock now, so a second process opening the file waits here and then
        // finds the migrations applied.
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    protected override async Task InsertUsageAsync(DbConnection connection, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        // One prepared statement run per record inside one transaction: in SQLite that is as fast as a
        // multi-row insert (no round trips), and it needs no limit on the number of parameters.
        var sqlite = (SqliteConnection)connection;
        await using var transaction = sqlite.BeginTransaction(deferred: false);
        await using var command = sqlite.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertUsageSql;
        var p = new SqliteParameter[UsageParameters.Length];
        for (var i = 0; i < p.Length; i++) p[i] = command.Parameters.Add(new SqliteParameter { ParameterName = UsageParameters[i] });
        command.Prepare();
        foreach (var r in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // 16 bytes in RFC order: version-7 ids then sort by time, and the index grows at its end.
            p[0].Value = r.Id.ToByteArray(bigEndian: true);
            p[1].Value = (object?)r.RequestId ?? DBNull.Value;
            p[2].Value = Columns.ToMilliseconds(r.Time);
            p[3].Value = (object?)r.KeyId ?? DBNull.Value;
            p[4].Value = (object?)r.User ?? DBNull.Value;
            p[5].Value = (object?)r.Provider ?? DBNull.Value;
            p[6].Value = (object?)r.Model ?? DBNull.Value;
            p[7].Value = (object?)r.Route ?? DBNull.Value;
            p[8].Value = (object?)r.Rule ?? DBNull.Value;
            p[9].Value = (object?)r.Agent ?? DBNull.Value;
            p[10].Value = (object?)r.Stage ?? DBNull.Value;
            p[11].Value = (object?)Columns.ToJson(r.Labels) ?? DBNull.Value;
            p[12].Value = r.InputTokens;
            p[13].Value = r.CachedInputTokens;
            p[14].Value = r.CacheWriteTokens;
            p[15].Value = r.OutputTokens;
            p[16].Value = r.ReasoningTokens;
            p[17].Value = r.CostUsd is { } cost ? Columns.ToNanos(cost) : DBNull.Value;
            p[18].Value = r.UsageEstimated;
            p[19].Value = r.LatencyMs;
            p[20].Value = r.TimeToFirstTokenMs is { } ttft ? ttft : DBNull.Value;
            p[21].Value = r.Attempts;
            p[22].Value = r.Status;
            p[23].Value = (object?)r.ErrorCategory ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; let it go, so the caller may move or delete it.
        using (var connection = new SqliteConnection(Connection.ConnectionString)) SqliteConnection.ClearPool(connection);
        DisposeWriteGate();
        return ValueTask.CompletedTask;
    }
}
