using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Npgsql;
using Switchboard.Storage;
using Switchboard.Usage;

namespace Switchboard.Benchmarks;

/// <summary>
/// 100,000 usage records through <see cref="UsageWriter"/> into a fresh store, from the first record to the
/// last one written (the writer's stop waits for it): the time per record is the inverse of the records per
/// second the usage log sustains. SQLite in a temporary file; PostgreSQL from <c>SWITCHBOARD_TEST_POSTGRES</c>
/// (in a schema of its own, dropped after), and left out when that is not set.
/// <c>dotnet run -c Release -- --filter '*UsageStoreBenchmarks*'</c>; on a busy machine BenchmarkDotNet's
/// two-minute limit for building its own project may need <c>--buildTimeout 1200</c>.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class UsageStoreBenchmarks
{
    private const int RecordCount = 100_000;
    private const string PostgresVariable = "SWITCHBOARD_TEST_POSTGRES";

    private UsageRecord[] _records = [];
    private ISwitchboardStore _store = null!;
    private string? _file;
    private string? _schema;

    public static IEnumerable<StoreBackend> Backends() =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(PostgresVariable))
            ? [StoreBackend.Sqlite]
            : [StoreBackend.Sqlite, StoreBackend.Postgres];

    [ParamsSource(nameof(Backends))]
    public StoreBackend Backend { get; set; }

    [GlobalSetup]
    public void MakeRecords()
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        string[] providers = ["openai", "anthropic", "google", "openrouter"];
        string[] models = ["gpt-4o", "claude-sonnet-4-5", "gemini-2.5-pro", "deepseek/deepseek-chat"];
        _records = new UsageRecord[RecordCount];
        for (var i = 0; i < RecordCount; i++)
        {
            var time = start.AddMilliseconds(i * 50L);
            _records[i] = new UsageRecord
            {
                Id = Guid.CreateVersion7(time),
                RequestId = "req_" + i,
                Time = time,
                KeyId = "vk_" + (i % 50),
                Provider = providers[i % 4],
                Model = models[i % 4],
                Route = i % 3 == 0 ? "smart" : null,
                Agent = i % 5 == 0 ? "pricing" : null,
                Labels = i % 7 == 0 ? ["batch"] : [],
                InputTokens = 1_200 + i % 500,
                CachedInputTokens = i % 2 == 0 ? 1_024 : 0,
                OutputTokens = 300 + i % 200,
                ReasoningTokens = i % 4 == 0 ? 128 : 0,
                CostUsd = i % 10 == 0 ? null : 0.0042m,
                LatencyMs = 850.5,
                TimeToFirstTokenMs = 240.25,
                Attempts = 1,
                Status = 200,
            };
        }
    }

    [IterationSetup]
    public void OpenFreshStore()
    {
        string connection;
        if (Backend == StoreBackend.Sqlite)
        {
            _file = Path.Combine(Path.GetTempPath(), $"switchboard-bench-{Guid.NewGuid():N}.db");
            connection = "sqlite:" + _file;
        }
        else
        {
            _schema = "sb_bench_" + Guid.NewGuid().ToString("N")[..12];
            var server = new NpgsqlConnectionStringBuilder(StoreConnection.Parse(Environment.GetEnvironmentVariable(PostgresVariable)!).ConnectionString);
            Execute(server.ConnectionString, $"CREATE SCHEMA {_schema}");
            server.SearchPath = _schema;
            connection = server.ConnectionString;
        }
        _store = SwitchboardStore.OpenAsync(connection, TimeProvider.System).GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public async Task RecordThroughWriter()
    {
        var writer = new UsageWriter(_store, TimeProvider.System);
        foreach (var record in _records) await writer.RecordAsync(record);
        await writer.StopAsync();
        if (writer.Written != RecordCount) throw new InvalidOperationException($"{writer.Written} of {RecordCount} records written");
    }

    [IterationCleanup]
    public void DeleteStore()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_file is not null)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_file + suffix);
            _file = null;
        }
        if (_schema is not null)
        {
            var server = StoreConnection.Parse(Environment.GetEnvironmentVariable(PostgresVariable)!).ConnectionString;
            Execute(server, $"DROP SCHEMA {_schema} CASCADE");
            _schema = null;
        }
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
