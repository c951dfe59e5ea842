using Switchboard.Configuration;
using Switchboard.Storage;

namespace Switchboard.Cli;

/// <summary>Where the commands that open the store (<c>serve</c>, <c>usage</c>, <c>keys</c>, <c>jobs</c>, <c>batch</c>) find it, so they always agree.</summary>
internal static class CliStorage
{
    /// <summary>
    /// The store: SWITCHBOARD_DATABASE_URL, else the config's <c>storage:</c>, else the default; a relative SQLite path
    /// taken from the working directory, as the config's other paths are.
    /// </summary>
    public static string Storage(CliEnvironment env, SwitchboardOptions options)
    {
        var storage = env.Variables("SWITCHBOARD_DATABASE_URL") ?? options.Storage.Resolve(env.Variables) ?? SwitchboardOptions.DefaultStorage;
        const string Sqlite = "sqlite:";
        if (!storage.StartsWith(Sqlite, StringComparison.OrdinalIgnoreCase) || storage.StartsWith(Sqlite + "//", StringComparison.Ordinal)) return storage;
        var path = storage[Sqlite.Length..];
        return path.Length == 0 || Path.IsPathRooted(path) ? storage : Sqlite + Path.GetFullPath(path, env.WorkingDirectory);
    }

    /// <summary>Opens (and migrates) the store; <c>storage: none</c> or a store that cannot be opened is a config error.</summary>
    /// <param name="env">Where the variables and working directory come from.</param>
    /// <param name="options">The loaded config.</param>
    /// <param name="what">What the command needs the store for, as in "virtual keys live in the store".</param>
    /// <param name="cancellationToken">Stops opening.</param>
    public static async Task<ISwitchboardStore> OpenAsync(CliEnvironment env, SwitchboardOptions options, string what, CancellationToken cancellationToken)
    {
        var connection = Storage(env, options);
        if (string.Equals(connection.Trim(), SwitchboardOptions.NoStorage, StringComparison.OrdinalIgnoreCase))
            throw new ConfigException($"storage is none, and {what} live in the store. Set storage: (sqlite:PATH or a postgres:// URL) or SWITCHBOARD_DATABASE_URL.");
        try
        {
            return await SwitchboardStore.OpenAsync(connection, TimeProvider.System, cancellationToken);
        }
        catch (StoreException e)
        {
            throw new ConfigException("storage: " + e.Message);
        }
    }
}
