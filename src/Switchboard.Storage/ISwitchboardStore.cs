using Switchboard.Storage.Jobs;

namespace Switchboard.Storage;

/// <summary>
/// The gateway's store: usage log, virtual keys, spend and rate limits, the job queue, on SQLite or PostgreSQL. Open one with
/// <see cref="SwitchboardStore.OpenAsync(string, TimeProvider, CancellationToken)"/>; it is safe to use from
/// many threads at once, and keeps no state between calls that another process could disagree with.
/// </summary>
public interface ISwitchboardStore : IUsageStore, IKeyStore, ILimitStore, IJobStore, IAsyncDisposable
{
    /// <summary>The database behind the store.</summary>
    StoreBackend Backend { get; }

    /// <summary>Where the store is, password masked: fit for logs and <c>switchboard doctor</c>.</summary>
    string Description { get; }

    /// <summary>The schema version after opening: the number of the last migration applied.</summary>
    int SchemaVersion { get; }
}
