namespace Switchboard.Storage;

/// <summary>How <see cref="UsageWriter"/> buffers and batches.</summary>
public sealed record UsageWriterOptions
{
    /// <summary>Records held in memory waiting to be written. When full, <see cref="UsageWriter.RecordAsync"/> waits and <see cref="UsageWriter.TryRecord"/> drops.</summary>
    public int Capacity { get; init; } = 10_000;

    /// <summary>Most records written in one batch.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Longest a record waits for its batch to fill before it is written anyway.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Tries per batch before it is given up, counted in <see cref="UsageWriter.Failed"/> and logged.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The wait before the first retry; it doubles with each retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two tries.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);
}
