namespace Switchboard.Gateway.Tests;

/// <summary>
/// A fresh SQLite file for each gateway a test starts, so tests running side by side never share a usage log.
/// They live in one folder of this test run, removed when the run ends.
/// </summary>
internal static class TestDatabases
{
    private static readonly string Folder = CreateFolder();

    public static string NewSqlite() => "sqlite:" + Path.Combine(Folder, Guid.NewGuid().ToString("N") + ".db");

    private static string CreateFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "switchboard-gateway-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open at exit: the temp folder is cleaned by the system in time.
            }
        };
        return folder;
    }
}
