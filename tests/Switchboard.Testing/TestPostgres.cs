using Npgsql;
using Switchboard.Storage;

namespace Switchboard.Testing;

/// <summary>
/// The PostgreSQL server the tests run against, from <c>SWITCHBOARD_TEST_POSTGRES</c>: a fresh schema per test,
/// dropped after it. Without the variable every PostgreSQL test fails and says how to get one. Shared by the
/// storage tests and the gateway's load tests.
/// </summary>
public static class TestPostgres
{
    /// <summary>The environment variable that names the server.</summary>
    public const string Variable = "SWITCHBOARD_TEST_POSTGRES";

    /// <summary>The server's connection, as the variable gives it (a URL or an Npgsql connection string).</summary>
    public static string Connection =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL storage tests cannot run. Run ./test.sh, which starts a throwaway " +
                $"PostgreSQL server for them, or set {Variable} to a server of your own (postgres://user:password@host:port/database).");

    /// <summary>Creates an empty schema and returns an Npgsql connection string whose search path is that schema.</summary>
    public static async Task<(string ConnectionString, string Schema)> CreateSchemaAsync()
    {
        var schema = "sb_test_" + Guid.NewGuid().ToString("N")[..16];
        var server = StoreConnection.Parse(Connection).ConnectionString;
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        // A pool of 20 per store, as a gateway might configure: 200 concurrent calls through two stores then queue for
        // connections instead of asking the server for more than it allows.
        var builder = new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 20 };
        return (builder.ConnectionString, schema);
    }

    /// <summary>Drops a schema <see cref="CreateSchemaAsync"/> made, with everything in it.</summary>
    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(StoreConnection.Parse(Connection).ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }
}
