using System.Data.Common;
using Npgsql;
using Switchboard.Usage;

namespace Switchboard.Storage.Backends;

/// <summary>
/// The store in a PostgreSQL database, shared by any number of gateway processes: every counter is one atomic
/// statement in the database, never a value cached here.
/// </summary>
internal sealed class PostgresStore : SqlStore
{
    // Every column as an array, unnested into rows: a whole batch is one statement and one round trip, its
    // values sent in binary. Preferred to COPY because COPY cannot skip ids already stored, and a batch retried
    // after a lost acknowledgement must not be counted twice.
    private const string InsertUsageSql = """
        INSERT INTO usage_records (id, request_id, time_ms, key_id, user_name, provider, model, route, rule, agent, stage, labels,
            input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_nanousd, usage_estimated,
            latency_ms, ttft_ms, attempts, status, error_category)
        SELECT * FROM unnest(@id::uuid[], @request_id::text[], @time_ms::bigint[], @key_id::text[], @user_name::text[],
            @provider::text[], @model::text[], @route::text[], @rule::text[], @agent::text[], @stage::text[], @labels::text[],
            @input_tokens::integer[], @cached_input_tokens::integer[], @cache_write_tokens::integer[], @output_tokens::integer[],
            @reasoning_tokens::integer[], @cost_nanousd::bigint[], @usage_estimated::boolean[], @latency_ms::double precision[],
            @ttft_ms::double precision[], @attempts::integer[], @status::integer[], @error_category::text[])
        ON CONFLICT (id) DO NOTHING
        """;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(StoreConnection connection, TimeProvider timeProvider)
        : base(connection, timeProvider, serializeWrites: false)
    {
        _dataSource = NpgsqlDataSource.Create(connection.ConnectionString);
    }

    // Locks the row it picks, and passes over rows other claimers hold: many workers claim at once without waiting on
    // each other, and none gets a row another took.
    protected override string ClaimLock => " FOR UPDATE SKIP LOCKED";

    internal override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // Held until the transaction ends: a second process opening the same database waits here, then finds
            // the migrations applied. Per schema, so stores in different schemas of one database do not wait on
            // each other.
            await ExecuteAsync(connection, transaction,
                "SELECT pg_advisory_xact_lock(hashtext('switchboard.schema_migrations.' || coalesce(current_schema(), '')))",
                cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override async Task InsertUsageAsync(DbConnection connection, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        var n = records.Count;
        var id = new Guid[n];
        var requestId = new string?[n];
        var time = new long[n];
        var keyId = new string?[n];
        var user = new string?[n];
        var provider = new string?[n];
        var model = new string?[n];
        var route = new string?[n];
        var rule = new string?[n];
        var agent = new string?[n];
        var stage = new string?[n];
        var labels = new string?[n];
        var input = new int[n];
        var cachedInput = new int[n];
        var cacheWrite = new int[n];
        var output = new int[n];
        var reasoning = new int[n];
        var cost = new long?[n];
        var estimated = new bool[n];
        var latency = new double[n];
        var ttft = new double?[n];
        var attempts = new int[n];
        var status = new int[n];
        var errorCategory = new string?[n];
        for (var i = 0; i < n; i++)
        {
            var r = records[i];
            id[i] = r.Id;
            requestId[i] = r.RequestId;
            time[i] = Columns.ToMilliseconds(r.Time);
            keyId[i] = r.KeyId;
            user[i] = r.User;
            provider[i] = r.Provider;
            model[i] = r.Model;
            route[i] = r.Route;
            rule[i] = r.Rule;
            agent[i] = r.Agent;
            stage[i] = r.Stage;
            labels[i] = Columns.ToJson(r.Labels);
            input[i] = r.InputTokens;
            cachedInput[i] = r.CachedInputTokens;
            cacheWrite[i] = r.CacheWriteTokens;
            output[i] = r.OutputTokens;
            reasoning[i] = r.ReasoningTokens;
            cost[i] = r.CostUsd is { } usd ? Columns.ToNanos(usd) : null;
            estimated[i] = r.UsageEstimated;
            latency[i] = r.LatencyMs;
            ttft[i] = r.TimeToFirstTokenMs;
            attempts[i] = r.Attempts;
            status[i] = r.Status;
            errorCategory[i] = r.ErrorCategory;
        }

        await using var command = new NpgsqlCommand(InsertUsageSql, (NpgsqlConnection)connection);
        var parameters = command.Parameters;
        parameters.Add(new NpgsqlParameter<Guid[]>("id", id));
        parameters.Add(new NpgsqlParameter<string?[]>("request_id", requestId));
        parameters.Add(new NpgsqlParameter<long[]>("time_ms", time));
        parameters.Add(new NpgsqlParameter<string?[]>("key_id", keyId));
        parameters.Add(new NpgsqlParameter<string?[]>("user_name", user));
        parameters.Add(new NpgsqlParameter<string?[]>("provider", provider));
        parameters.Add(new NpgsqlParameter<string?[]>("model", model));
        parameters.Add(new NpgsqlParameter<string?[]>("route", route));
        parameters.Add(new NpgsqlParameter<string?[]>("rule", rule));
        parameters.Add(new NpgsqlParameter<string?[]>("agent", agent));
        parameters.Add(new NpgsqlParameter<string?[]>("stage", stage));
        parameters.Add(new NpgsqlParameter<string?[]>("labels", labels));
        parameters.Add(new NpgsqlParameter<int[]>("input_tokens", input));
        parameters.Add(new NpgsqlParameter<int[]>("cached_input_tokens", cachedInput));
        parameters.Add(new NpgsqlParameter<int[]>("cache_write_tokens", cacheWrite));
        parameters.Add(new NpgsqlParameter<int[]>("output_tokens", output));
        parameters.Add(new NpgsqlParameter<int[]>("reasoning_tokens", reasoning));
        parameters.Add(new NpgsqlParameter<long?[]>("cost_nanousd", cost));
        parameters.Add(new NpgsqlParameter<bool[]>("usage_estimated", estimated));
        parameters.Add(new NpgsqlParameter<double[]>("latency_ms", latency));
        parameters.Add(new NpgsqlParameter<double?[]>("ttft_ms", ttft));
        parameters.Add(new NpgsqlParameter<int[]>("attempts", attempts));
        parameters.Add(new NpgsqlParameter<int[]>("status", status));
        parameters.Add(new NpgsqlParameter<string?[]>("error_category", errorCategory));
        // One statement is one transaction: the batch is stored whole or not at all.
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
