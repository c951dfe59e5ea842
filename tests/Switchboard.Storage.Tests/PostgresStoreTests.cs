using Npgsql;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Storage.Tests;

/// <summary>
/// The store contract on a real PostgreSQL server (<c>SWITCHBOARD_TEST_POSTGRES</c>, started by ./test.sh): a
/// fresh schema per test.
/// </summary>
public sealed class PostgresStoreTests : StoreContractTests
{
    private string? _schema;

    private string Schema => _schema ?? throw new InvalidOperationException("no schema yet");

    protected override StoreBackend Backend => StoreBackend.Postgres;

    protected override async Task<string> CreateDatabaseAsync()
    {
        (var connection, _schema) = await TestPostgres.CreateSchemaAsync();
        return connection;
    }

    protected override async Task DeleteDatabaseAsync()
    {
        if (_schema is not null) await TestPostgres.DropSchemaAsync(_schema);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_a_message_that_does_not_contain_it()
    {
        const string secret = "Wr0ng-Passw0rd-4-Tests";
        var builder = new NpgsqlConnectionStringBuilder(Connection) { Password = secret };

        var error = await Should.ThrowAsync<StoreException>(() => SwitchboardStore.OpenAsync(builder.ConnectionString, TimeProvider.System));

        error.Message.ShouldContain("PostgreSQL");
        error.Message.ShouldContain("Password=***");
        error.ToString().ShouldNotContain(secret);
    }

    [Fact]
    public async Task The_url_form_opens_the_database_with_its_parameters()
    {
        var server = TestPostgres.Connection;
        if (!server.StartsWith("postgres", StringComparison.OrdinalIgnoreCase)) return; // given as a connection string: covered above
        var url = server + (server.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "search_path=" + Schema + "&application_name=switchboard-tests";

        await using var store = await SwitchboardStore.OpenAsync(url, TimeProvider.System);

        store.Backend.ShouldBe(StoreBackend.Postgres);
        store.Description.ShouldContain(":***@");
        store.Description.ShouldNotContain(":switchboard@");
        await store.CreateKeyAsync(new VirtualKeyOptions { Name = "via url" });
        var viaConnectionString = await OpenAsync();
        (await viaConnectionString.ListKeysAsync()).Single().Name.ShouldBe("via url");
    }
}
