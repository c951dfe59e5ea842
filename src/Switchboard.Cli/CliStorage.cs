using Switchboard.Configuration;

namespace Switchboard.Cli;

/// <summary>Where the commands that open the store (<c>serve</c>, <c>usage</c>) find it, so they always agree.</summary>
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
}
