using Microsoft.Data.Sqlite;
using Shouldly;
using Switchboard.Storage.Backends;
using Xunit;

namespace Switchboard.Storage.Tests;

/// <summary>The store contract on SQLite: a fresh file per test.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "switchboard-storage-tests", Guid.NewGuid().ToString("N"));

    protected override StoreBackend Backend => StoreBackend.Sqlite;

    // In a folder that does not exist yet: opening creates it.
    protected override Task<string> CreateDatabaseAsync() => Task.FromResult("sqlite:" + Path.Combine(_folder, "switchboard.db"));

    protected override Task DeleteDatabaseAsync()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_file_is_opened_in_write_ahead_log_mode()
    {
        var store = (SqlStore)await OpenAsync();

        (await store.ScalarAsync("PRAGMA journal_mode")).ShouldBe("wal");
        (await store.ScalarAsync("PRAGMA synchronous")).ShouldBe(1L); // NORMAL
        ((long)(await store.ScalarAsync("PRAGMA busy_timeout"))!).ShouldBeGreaterThan(0);
        File.Exists(Path.Combine(_folder, "switchboard.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_bare_path_opens_a_sqlite_file_too()
    {
        var path = Path.Combine(_folder, "bare.db");

        await using var store = await SwitchboardStore.OpenAsync(path, TimeProvider.System);

        store.Backend.ShouldBe(StoreBackend.Sqlite);
        store.Description.ShouldBe("sqlite:" + path);
        File.Exists(path).ShouldBeTrue();
    }
}
