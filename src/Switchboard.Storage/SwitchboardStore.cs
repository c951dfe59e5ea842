using Switchboard.Storage.Backends;

namespace Switchboard.Storage;

/// <summary>Opens the store: picks the backend from the connection, connects, and brings the schema up to date.</summary>
public static class SwitchboardStore
{
    /// <summary>
    /// Opens the store at <paramref name="connection"/> (any form <see cref="StoreConnection"/> accepts) and
    /// applies the migrations it has not seen. Safe when several processes open the same database at once: one
    /// migrates, the others wait and find it done.
    /// </summary>
    /// <param name="connection"><c>sqlite:PATH</c>, a file path, a <c>postgres://</c> URL or an Npgsql connection string.</param>
    /// <param name="timeProvider">The clock for creation and revocation times.</param>
    /// <param name="cancellationToken">Stops connecting and migrating.</param>
    /// <exception cref="StoreException">The connection is malformed, the database cannot be reached, or its schema is newer than this version knows. The message never contains the password.</exception>
    public static Task<ISwitchboardStore> OpenAsync(string connection, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        OpenAsync(StoreConnection.Parse(connection), timeProvider, cancellationToken);

    /// <summary>Opens the store at an already parsed <paramref name="connection"/>; see <see cref="OpenAsync(string, TimeProvider, CancellationToken)"/>.</summary>
    public static async Task<ISwitchboardStore> OpenAsync(StoreConnection connection, TimeProvider timeProvider, CancellationToken cancellationToken = default) =>
        await OpenStoreAsync(connection, timeProvider, cancellationToken);

    /// <summary>Opens the store as its concrete type, for tests and benchmarks that look inside.</summary>
    internal static async Task<SqlStore> OpenStoreAsync(StoreConnection connection, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        SqlStore? store = null;
        try
        {
            store = connection.Backend == StoreBackend.Postgres
                ? new PostgresStore(connection, timeProvider)
                : new SqliteStore(connection, timeProvider);
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch (Exception e) when (e is not OperationCanceledException and not StoreException)
        {
            if (store is not null) await store.DisposeAsync();
            var name = connection.Backend == StoreBackend.Postgres ? "PostgreSQL" : "SQLite";
            // The driver's text is passed on with the password scrubbed; an exception whose text holds the
            // password anywhere (a nested message, a server detail) is not attached at all.
            throw new StoreException(
                $"Could not open the {name} store at {connection.Redacted}: {connection.Scrub(e.Message)}",
                connection.Reveals(e.ToString()) ? null : e);
        }
        catch
        {
            if (store is not null) await store.DisposeAsync();
            throw;
        }
    }
}
