namespace Switchboard.Storage;

/// <summary>The database behind a store.</summary>
public enum StoreBackend
{
    /// <summary>A SQLite file: the default, for one gateway process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: for several gateway processes sharing keys, budgets and rate limits.</summary>
    Postgres,
}
