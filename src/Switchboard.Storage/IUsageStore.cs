using Switchboard.Usage;

namespace Switchboard.Storage;

/// <summary>The usage log: what every request used and cost, and reports over it.</summary>
public interface IUsageStore
{
    /// <summary>
    /// Writes <paramref name="records"/> in one transaction (one statement on PostgreSQL). A record whose id is
    /// already stored is skipped, so a batch retried after an unclear failure is not counted twice. Use
    /// <see cref="UsageWriter"/> to write from the request path.
    /// </summary>
    Task WriteUsageAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Aggregates the usage that matches <paramref name="query"/>, grouped as it says, with totals.</summary>
    Task<UsageReport> QueryUsageAsync(UsageQuery query, CancellationToken cancellationToken = default);
}
