using Npgsql;
using Shouldly;
using Xunit;

namespace Switchboard.Storage.Tests;

public sealed class StoreConnectionTests
{
    private const string Secret = "Sup3r-S3cret-Pa55";

    [Theory]
    [InlineData("sqlite:switchboard.db", "switchboard.db")]
    [InlineData("switchboard.db", "switchboard.db")]
    [InlineData("./data/usage.db", "/data/usage.db")]
    [InlineData("/var/lib/switchboard/a=b.db", "/var/lib/switchboard/a=b.db")]
    [InlineData("Data Source=switchboard.db", "switchboard.db")]
    public void Sqlite_forms_are_sqlite(string text, string file)
    {
        var connection = StoreConnection.Parse(text);

        connection.Backend.ShouldBe(StoreBackend.Sqlite);
        connection.Redacted.ShouldEndWith(file);
    }

    [Fact]
    public void Sqlite_path_is_made_absolute()
    {
        StoreConnection.Parse("sqlite:switchboard.db").Redacted.ShouldBe("sqlite:" + Path.GetFullPath("switchboard.db"));
        StoreConnection.Default.ShouldBe("sqlite:switchboard.db");
    }

    [Fact]
    public void Postgres_url_becomes_an_npgsql_connection_with_its_parts()
    {
        var connection = StoreConnection.Parse($"postgres://gateway:{Secret}@db.internal:6543/switchboard?sslmode=require&application_name=sb");

        connection.Backend.ShouldBe(StoreBackend.Postgres);
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        builder.Host.ShouldBe("db.internal");
        builder.Port.ShouldBe(6543);
        builder.Database.ShouldBe("switchboard");
        builder.Username.ShouldBe("gateway");
        builder.Password.ShouldBe(Secret);
        builder.SslMode.ShouldBe(SslMode.Require);
        builder.ApplicationName.ShouldBe("sb");
        connection.Redacted.ShouldBe("postgres://gateway:***@db.internal:6543/switchboard?sslmode=require&application_name=sb");
        connection.ToString().ShouldBe(connection.Redacted);
    }

    [Fact]
    public void Postgres_url_user_and_password_are_percent_decoded_and_the_port_defaults()
    {
        var connection = StoreConnection.Parse("postgresql://us%40er:p%40ss%2Fw%3Ard@localhost/db");

        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        builder.Username.ShouldBe("us@er");
        builder.Password.ShouldBe("p@ss/w:rd");
        builder.Port.ShouldBe(5432);
        connection.Redacted.ShouldNotContain("p%40ss");
    }

    [Fact]
    public void Postgres_url_passes_other_parameters_to_npgsql_by_their_keyword()
    {
        var connection = StoreConnection.Parse("postgres://u:pw@h/db?maximum%20pool%20size=50&search_path=usage&connect_timeout=7");

        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString);
        builder.MaxPoolSize.ShouldBe(50);
        builder.SearchPath.ShouldBe("usage");
        builder.Timeout.ShouldBe(7);
    }

    [Fact]
    public void Npgsql_connection_string_is_postgres_and_shown_without_its_password()
    {
        var connection = StoreConnection.Parse($"Host=127.0.0.1;Port=5432;Username=sb;Password={Secret};Database=sb");

        connection.Backend.ShouldBe(StoreBackend.Postgres);
        connection.Redacted.ShouldNotContain(Secret);
        connection.Redacted.ShouldContain("Password=***");
    }

    [Theory]
    [InlineData($"postgres://user:{Secret}@host:notaport/db")]
    [InlineData($"postgres://user:{Secret}@host:5432/db?no_such_option=1")]
    [InlineData($"postgres://user:{Secret}@host:5432/db?sslmode=sometimes")]
    [InlineData($"postgres://user:{Secret}@:5432/db")]
    [InlineData($"Host=h;Password={Secret};Port=notanumber")]
    [InlineData($"Host=h;Password={Secret};Timeout={Secret}")]
    public void A_malformed_connection_is_refused_without_showing_its_password(string text)
    {
        var error = Should.Throw<StoreException>(() => StoreConnection.Parse(text));

        error.ToString().ShouldNotContain(Secret);
    }

    [Fact]
    public async Task An_unreachable_server_is_reported_without_the_password()
    {
        // Port 1 on loopback: refused at once, nothing listens there.
        var error = await Should.ThrowAsync<StoreException>(() =>
            SwitchboardStore.OpenAsync($"postgres://gateway:{Secret}@127.0.0.1:1/switchboard?timeout=5", TimeProvider.System));

        error.Message.ShouldContain("postgres://gateway:***@127.0.0.1:1/switchboard");
        error.ToString().ShouldNotContain(Secret);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("sqlite:")]
    [InlineData("sqlite::memory:")]
    [InlineData("sqlite:///var/lib/switchboard.db")]
    public void Empty_or_unsupported_connections_are_refused(string text) =>
        Should.Throw<StoreException>(() => StoreConnection.Parse(text));

    [Theory]
    [InlineData("postgres://u:pw@h/db", "postgres://u:***@h/db")]
    [InlineData("postgres://u:p/w@rd@h:1/db?x=1", "postgres://u:***@h:1/db?x=1")]
    [InlineData("postgres://u@h/db?password=pw&sslmode=require", "postgres://u@h/db?password=***&sslmode=require")]
    [InlineData("postgres://h/db", "postgres://h/db")]
    public void Url_redaction_masks_the_password_even_in_broken_urls(string url, string expected) =>
        StoreConnection.RedactUrl(url).ShouldBe(expected);
}
