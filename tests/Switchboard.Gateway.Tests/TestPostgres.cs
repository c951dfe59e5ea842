using Npgsql;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// The PostgreSQL server from <c>SWITCHBOARD_TEST_POSTGRES</c> (as the storage tests use it): a fresh schema per
/// test, dropped after it. Without the variable a PostgreSQL test fails and says how to get one.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "SWITCHBOARD_TEST_POSTGRES";

    /// <summary>Creates an empty schema and returns an Npgsql connection string whose search path is that schema.</summary>
    public static async Task<(string ConnectionString, string Schema)> CreateSchemaAsync()
    {
        var schema = "sb_gw_" + Guid.NewGuid().ToString("N")[..16];
        var server = Server();
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }
        return (new NpgsqlConnectionStringBuilder(server) { SearchPath = schema, MaxPoolSize = 10 }.ConnectionString, schema);
    }

    public static async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(Server());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The variable as an Npgsql connection string: a <c>postgres://</c> URL is taken apart, anything else used as it is.</summary>
    private static string Server()
    {
        var value = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set
            ? set
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL gateway tests cannot run. Run ./test.sh, which starts a throwaway " +
                $"PostgreSQL server for them, or set {Variable} to a server of your own (postgres://user:password@host:port/database).");
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("postgres" or "postgresql")) return value;
        var user = url.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')),
            Username = Uri.UnescapeDataString(user[0]),
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        }.ConnectionString;
    }
}
