using System.Globalization;

namespace Switchboard.Storage.Backends;

/// <summary>
/// One numbered schema change, from the SQL files embedded under <c>Migrations/{backend}/NNNN_name.sql</c>.
/// Migrations only ever get added: an applied one is never edited, a change is a new file.
/// </summary>
internal sealed record Migration(int Version, string Name, string Sql)
{
    private const string ResourcePrefix = "migrations/";

    /// <summary>The backend's migrations in order; numbered 1, 2, 3 ... without gaps.</summary>
    public static IReadOnlyList<Migration> For(StoreBackend backend)
    {
        var assembly = typeof(Migration).Assembly;
        var prefix = ResourcePrefix + backend + "/";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal)) continue;
            var file = resource[prefix.Length..^".sql".Length];
            var underscore = file.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !int.TryParse(file.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                throw new InvalidOperationException($"Migration '{resource}' is not named NNNN_name.sql.");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(version, file[(underscore + 1)..], reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"The {backend} migrations must be numbered 1, 2, 3 ... without gaps; found {migrations[i].Version} at position {i + 1}.");
        }
        return migrations;
    }
}
