using Switchboard.Gateway.Metrics;
using Switchboard.Storage;
using Switchboard.Usage;

namespace Switchboard.Gateway;

/// <summary>
/// Where each request's <see cref="UsageRecord"/> goes: into the metrics, then onto the store's batched writer, off
/// the request path. With no store (<c>storage: none</c>) records are only counted in the metrics.
/// </summary>
internal sealed class UsageRecorder(UsageWriter? writer)
{
    public UsageWriter? Writer => writer;

    public GatewayMetrics Metrics { get; } = new();

    /// <summary>
    /// Queues the record without making the request wait for the database. When the writer's buffer is full the
    /// request waits for room rather than the record being lost (back-pressure).
    /// </summary>
    public async ValueTask RecordAsync(UsageRecord record)
    {
        Metrics.Record(record);
        if (writer is not null) await writer.RecordAsync(record);
    }
}
