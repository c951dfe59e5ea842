using System.Data.Common;
using Microsoft.Data.Sqlite;
using SQLitePCL;
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
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
        ON CONFLICT (id) DO NOTHING
        """;

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
        // One prepared statement run per record inside one transaction: in SQLite that is as fast as a multi-row
        // insert (no round trips), and it needs no limit on the number of parameters. The values are bound through
        // SQLite's own calls by position: binding them as ADO.NET parameters (by name, each boxed) took half of the
        // 18 µs a record cost (measured, bench/README.md).
        var sqlite = (SqliteConnection)connection;
        await using var transaction = sqlite.BeginTransaction(deferred: false);
        var db = sqlite.Handle!;
        Check(raw.sqlite3_prepare_v2(db, InsertUsageSql, out var statement), db);
        try
        {
            Span<byte> id = stackalloc byte[16];
            foreach (var r in records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // 16 bytes in RFC order: version-7 ids then sort by time, and the index grows at its end.
                r.Id.TryWriteBytes(id, bigEndian: true, out _);
                raw.sqlite3_bind_blob(statement, 1, id);
                Bind(statement, 2, r.RequestId);
                raw.sqlite3_bind_int64(statement, 3, Columns.ToMilliseconds(r.Time));
                Bind(statement, 4, r.KeyId);
                Bind(statement, 5, r.User);
                Bind(statement, 6, r.Provider);
                Bind(statement, 7, r.Model);
                Bind(statement, 8, r.Route);
                Bind(statement, 9, r.Rule);
                Bind(statement, 10, r.Agent);
                Bind(statement, 11, r.Stage);
                Bind(statement, 12, Columns.ToJson(r.Labels));
                raw.sqlite3_bind_int64(statement, 13, r.InputTokens);
                raw.sqlite3_bind_int64(statement, 14, r.CachedInputTokens);
                raw.sqlite3_bind_int64(statement, 15, r.CacheWriteTokens);
                raw.sqlite3_bind_int64(statement, 16, r.OutputTokens);
                raw.sqlite3_bind_int64(statement, 17, r.ReasoningTokens);
                if (r.CostUsd is { } cost) raw.sqlite3_bind_int64(statement, 18, Columns.ToNanos(cost));
                else raw.sqlite3_bind_null(statement, 18);
                raw.sqlite3_bind_int64(statement, 19, r.UsageEstimated ? 1 : 0);
                raw.sqlite3_bind_double(statement, 20, r.LatencyMs);
                if (r.TimeToFirstTokenMs is { } ttft) raw.sqlite3_bind_double(statement, 21, ttft);
                else raw.sqlite3_bind_null(statement, 21);
                raw.sqlite3_bind_int64(statement, 22, r.Attempts);
                raw.sqlite3_bind_int64(statement, 23, r.Status);
                Bind(statement, 24, r.ErrorCategory);
                var done = raw.sqlite3_step(statement);
                if (done != raw.SQLITE_DONE) Check(done, db);
                raw.sqlite3_reset(statement);
            }
        }
        finally
        {
            raw.sqlite3_finalize(statement);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static void Bind(sqlite3_stmt statement, int index, string? text)
    {
        if (text is null) raw.sqlite3_bind_null(statement, index);
        else raw.sqlite3_bind_text(statement, index, text);
    }

    /// <summary>Throws what Microsoft.Data.Sqlite would for a failed call (a <see cref="SqliteException"/> with SQLite's message).</summary>
    private static void Check(int result, sqlite3 db) => SqliteException.ThrowExceptionForRC(result, db);

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; let it go, so the caller may move or delete it.
        using (var connection = new SqliteConnection(Connection.ConnectionString)) SqliteConnection.ClearPool(connection);
        DisposeWriteGate();
        return ValueTask.CompletedTask;
    }
}
