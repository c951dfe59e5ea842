using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Switchboard.Storage;

/// <summary>
/// Where the store lives, parsed from the one string the configuration holds. Accepted forms:
/// <list type="bullet">
/// <item><c>sqlite:PATH</c>, or a bare path (<c>switchboard.db</c>, <c>/var/lib/switchboard/usage.db</c>): a SQLite file, created with its folder when missing;</item>
/// <item>a SQLite connection string with <c>Data Source=</c>;</item>
/// <item><c>postgres://user:password@host:port/database?sslmode=require</c> (or <c>postgresql://</c>): PostgreSQL, user and password percent-encoded;</item>
/// <item>an Npgsql connection string with <c>Host=</c> (or <c>Server=</c>): PostgreSQL.</item>
/// </list>
/// <see cref="ToString"/> and <see cref="Redacted"/> show the connection with its password replaced by <c>***</c>.
/// </summary>
public sealed class StoreConnection
{
    /// <summary>The connection a gateway uses when nothing is configured: a SQLite file in the working directory.</summary>
    public const string Default = "sqlite:switchboard.db";

    private const string Mask = "***";

    // libpq's URL parameter names, mapped to Npgsql's keywords; any other parameter is passed to Npgsql as it is.
    private static readonly Dictionary<string, string> UrlParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["application_name"] = "Application Name",
        ["search_path"] = "Search Path",
        ["connect_timeout"] = "Timeout",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["port"] = "Port",
        ["host"] = "Host",
    };

    private StoreConnection(StoreBackend backend, string connectionString, string redacted, string? secret)
    {
        Backend = backend;
        ConnectionString = connectionString;
        Redacted = redacted;
        Secret = string.IsNullOrEmpty(secret) ? null : secret;
    }

    /// <summary>Which database this is.</summary>
    public StoreBackend Backend { get; }

    /// <summary>The connection as it may be shown in logs and errors: the password replaced by <c>***</c>.</summary>
    public string Redacted { get; }

    /// <summary>The ADO.NET connection string, password included: for the driver only, never for a message.</summary>
    internal string ConnectionString { get; }

    /// <summary>The password, kept to scrub it out of the driver's messages.</summary>
    internal string? Secret { get; }

    /// <summary>Parses a connection in any of the accepted forms.</summary>
    /// <exception cref="StoreException">The text is none of them; the message never contains the password.</exception>
    public static StoreConnection Parse(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var text = connection.Trim();
        if (text.Length == 0) throw new StoreException("The storage connection is empty: give sqlite:PATH, a file path, or a postgres:// URL.");

        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return FromPostgresUrl(text);
        if (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
            return FromSqlitePath(text["sqlite:".Length..]);
        if (KeywordsOf(text) is { } keywords)
        {
            if (keywords.ContainsKey("host") || keywords.ContainsKey("server"))
                return FromNpgsqlConnectionString(text);
            if (keywords.ContainsKey("data source") || keywords.ContainsKey("datasource") || keywords.ContainsKey("filename"))
                return FromSqliteConnectionString(text);
        }
        return FromSqlitePath(text);
    }

    /// <summary>Replaces the password wherever it occurs in <paramref name="message"/>.</summary>
    internal string Scrub(string message) => Secret is null ? message : message.Replace(Secret, Mask, StringComparison.Ordinal);

    /// <summary>True when <paramref name="text"/> contains the password.</summary>
    internal bool Reveals(string text) => Secret is not null && text.Contains(Secret, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Redacted;

    private static DbConnectionStringBuilder? KeywordsOf(string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal)) return null;
        try
        {
            return new DbConnectionStringBuilder { ConnectionString = text };
        }
        catch (ArgumentException)
        {
            // Not keyword=value pairs: a path that happens to contain '='.
            return null;
        }
    }

    private static StoreConnection FromSqlitePath(string path)
    {
        path = path.Trim();
        if (path.Length == 0) throw new StoreException("The storage connection 'sqlite:' names no file: write sqlite:PATH, for example sqlite:switchboard.db.");
        // sqlite://x means different files to different tools (SQLAlchemy reads sqlite:///x as relative): refuse
        // rather than guess.
        if (path.StartsWith("//", StringComparison.Ordinal))
            throw new StoreException("Write a SQLite store as sqlite:PATH without slashes after the colon: sqlite:switchboard.db or sqlite:/var/lib/switchboard/switchboard.db.");
        if (path.Equals(":memory:", StringComparison.OrdinalIgnoreCase))
            throw new StoreException("An in-memory SQLite store is not supported: every connection would see a different database. Use a file, for example a temporary one.");
        var full = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true };
        return new StoreConnection(StoreBackend.Sqlite, builder.ConnectionString, "sqlite:" + full, secret: null);
    }

    private static StoreConnection FromSqliteConnectionString(string text)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new StoreException($"The storage connection is not a valid SQLite connection string ({OptionName(e)}).");
        }
        var secret = builder.Password;
        if (!Path.IsPathFullyQualified(builder.DataSource) && !builder.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            builder.DataSource = Path.GetFullPath(builder.DataSource);
        var shown = new SqliteConnectionStringBuilder(builder.ConnectionString);
        if (!string.IsNullOrEmpty(secret)) shown.Password = Mask;
        return new StoreConnection(StoreBackend.Sqlite, builder.ConnectionString, shown.ConnectionString, secret);
    }

    private static StoreConnection FromNpgsqlConnectionString(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or InvalidCastException)
        {
            // The driver's message may quote the value it could not read, which may be the password: name the
            // option instead.
            throw new StoreException($"The storage connection is not a valid PostgreSQL connection string ({OptionName(e)}).");
        }
        return FromNpgsqlBuilder(builder);
    }

    private static StoreConnection FromPostgresUrl(string text)
    {
        var shownInput = RedactUrl(text);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new StoreException($"The storage connection {shownInput} is not a valid PostgreSQL URL: write postgres://user:password@host:5432/database (percent-encode '@', ':' and '/' in the user and password).");

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.IdnHost,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
        };
        var userInfo = uri.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            var keyword = UrlParameters.GetValueOrDefault(name, name);
            try
            {
                builder[keyword] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or InvalidCastException)
            {
                throw new StoreException($"The storage connection {shownInput} has a parameter PostgreSQL does not accept: '{name}'.");
            }
        }
        return FromNpgsqlBuilder(builder, redacted: RedactUrl(text));
    }

    private static StoreConnection FromNpgsqlBuilder(NpgsqlConnectionStringBuilder builder, string? redacted = null)
    {
        var secret = builder.Password;
        if (redacted is null)
        {
            var shown = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
            if (!string.IsNullOrEmpty(secret)) shown.Password = Mask;
            redacted = shown.ConnectionString;
        }
        return new StoreConnection(StoreBackend.Postgres, builder.ConnectionString, redacted, secret);
    }

    /// <summary>
    /// Masks the password of a URL, even one too broken to parse: everything between the user's ':' and the
    /// last '@' of the authority (a password may hold an unencoded '/' or '@').
    /// </summary>
    internal static string RedactUrl(string url)
    {
        var redacted = url;
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            var start = scheme + 3;
            var query = url.IndexOf('?', start);
            var at = query < 0 ? url.LastIndexOf('@') : url.LastIndexOf('@', query);
            var colon = at > start ? url.IndexOf(':', start, at - start) : -1;
            if (colon >= 0) redacted = string.Concat(url.AsSpan(0, colon + 1), Mask, url.AsSpan(at));
        }
        // A password may also come as a parameter: ?password=...
        var parameter = redacted.IndexOf("password=", StringComparison.OrdinalIgnoreCase);
        if (parameter < 0) return redacted;
        var valueStart = parameter + "password=".Length;
        var end = redacted.IndexOf('&', valueStart);
        return string.Concat(redacted.AsSpan(0, valueStart), Mask, end < 0 ? "" : redacted.AsSpan(end));
    }

    private static string OptionName(Exception e) => e is ArgumentException { ParamName: { Length: > 0 } name } ? $"option '{name}'" : e.GetType().Name;
}
