using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Usage;

namespace Switchboard.Storage;

/// <summary>
/// Writes usage records to the store in the background, in batches, off the request path. A request hands its
/// record over and goes on; one loop here writes a batch when it is full (<see cref="UsageWriterOptions.BatchSize"/>)
/// or its oldest record has waited <see cref="UsageWriterOptions.FlushInterval"/>.
/// </summary>
/// <remarks>
/// Nothing accepted is lost quietly: <see cref="StopAsync"/> (and <see cref="DisposeAsync"/>) write everything
/// still queued before they return; a batch the store refuses is retried with doubling waits, and one that
/// fails <see cref="UsageWriterOptions.MaxAttempts"/> times is logged and counted in <see cref="Failed"/>.
/// When the buffer is full, <see cref="RecordAsync"/> waits for room (back-pressure) and
/// <see cref="TryRecord"/> drops the record and counts it in <see cref="Dropped"/>.
/// </remarks>
public sealed class UsageWriter : IAsyncDisposable
{
    private readonly IUsageStore _store;
    private readonly TimeProvider _time;
    private readonly UsageWriterOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<UsageRecord> _channel;
    private readonly Task _loop;

    private readonly object _flushGate = new();
    private readonly List<(long Target, TaskCompletionSource Done)> _flushes = [];
    private bool _finished;

    // Replaced each time it fires: the loop waits on the current one while a batch fills.
    private TaskCompletionSource _wake = NewSignal();
    private int _stopping;

    private long _accepted;
    private long _written;
    private long _failed;
    private long _dropped;

    /// <summary>Starts the writer's loop.</summary>
    /// <param name="store">Where the records go; the writer does not own it.</param>
    /// <param name="timeProvider">The clock for the flush interval and the retry waits.</param>
    /// <param name="options">Buffer, batch and retry settings; the defaults when null.</param>
    /// <param name="logger">Where retries and given-up batches are reported.</param>
    public UsageWriter(IUsageStore store, TimeProvider timeProvider, UsageWriterOptions? options = null, ILogger<UsageWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options ?? new UsageWriterOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.Capacity, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1, nameof(options));
        _store = store;
        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _channel = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(_options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Records written to the store.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records not accepted: offered to <see cref="TryRecord"/> with the buffer full, offered after stopping, or whose <see cref="RecordAsync"/> was cancelled.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Records accepted but given up after every try failed (each such batch is logged as an error).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Records accepted and not yet written or given up: queued, or in the batch being written.</summary>
    public long Pending => Math.Max(0, Interlocked.Read(ref _accepted) - Processed);

    private long Processed => Interlocked.Read(ref _written) + Interlocked.Read(ref _failed);

    /// <summary>Queues a record without waiting. False when the buffer is full or the writer has stopped: the record is dropped and counted in <see cref="Dropped"/>.</summary>
    public bool TryRecord(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }
        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>
    /// Queues a record, waiting for room when the buffer is full. False when the writer has stopped (the record
    /// is counted in <see cref="Dropped"/>).
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for room; the record is counted in <see cref="Dropped"/>.</exception>
    public async ValueTask<bool> RecordAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            if (!_channel.Writer.TryWrite(record)) await _channel.Writer.WriteAsync(record, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }
        catch (OperationCanceledException)
        {
            Interlocked.Increment(ref _dropped);
            throw;
        }
        Interlocked.Increment(ref _accepted);
        return true;
    }

    /// <summary>
    /// Writes every record accepted before this call now, without waiting for the batch to fill, and returns
    /// when they are written (or given up).
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _accepted);
        TaskCompletionSource done;
        lock (_flushGate)
        {
            if (_finished || Processed >= target) return Task.CompletedTask;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _flushes.Add((target, done));
        }
        Wake();
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Stops accepting records, writes everything still queued, and returns when the loop has ended. Cancelling
    /// stops the wait, not the writing, which goes on in the background.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _stopping, 1);
        _channel.Writer.TryComplete();
        Wake();
        return _loop.WaitAsync(cancellationToken);
    }

    /// <summary>Stops the writer and writes everything still queued; see <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Wake() => Interlocked.Exchange(ref _wake, NewSignal()).TrySetResult();

    private bool FlushRequested
    {
        get
        {
            lock (_flushGate) return _flushes.Count > 0;
        }
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        var batch = new List<UsageRecord>(_options.BatchSize);
        // The channel is only ever completed without an error, so this wait cannot throw.
        while (await reader.WaitToReadAsync())
        {
            var started = _time.GetTimestamp();
            while (true)
            {
                while (batch.Count < _options.BatchSize && reader.TryRead(out var record)) batch.Add(record);
                if (batch.Count >= _options.BatchSize) break;
                // Read the signal before the checks, so a flush or stop that comes after them still wakes the wait.
                var wake = Volatile.Read(ref _wake).Task;
                if (Volatile.Read(ref _stopping) == 1 || FlushRequested) break;
                var remaining = _options.FlushInterval - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) break;
                await WaitForMoreAsync(remaining, wake);
            }
            if (batch.Count > 0)
            {
                await WriteAsync(batch);
                batch.Clear();
            }
            CompleteFlushes(all: false);
        }
        CompleteFlushes(all: true);
    }

    private async Task WaitForMoreAsync(TimeSpan remaining, Task wake)
    {
        using var timeout = new CancellationTokenSource(remaining, _time);
        var more = _channel.Reader.WaitToReadAsync(timeout.Token).AsTask();
        await Task.WhenAny(more, wake);
        // Withdraw the channel wait if it is still pending; a cancelled wait is not an error here.
        await timeout.CancelAsync();
    }

    private async Task WriteAsync(List<UsageRecord> batch)
    {
        var delay = _options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _store.WriteUsageAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _written, batch.Count);
                return;
            }
            catch (Exception e) when (attempt < _options.MaxAttempts)
            {
                _logger.LogWarning(e, "Writing {Count} usage records failed (try {Attempt} of {MaxAttempts}); retrying in {Delay} ms.",
                    batch.Count, attempt, _options.MaxAttempts, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _time);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));
            }
            catch (Exception e)
            {
                Interlocked.Add(ref _failed, batch.Count);
                _logger.LogError(e, "Gave up writing {Count} usage records after {Attempts} tries; they are lost ({Failed} lost so far).",
                    batch.Count, attempt, Failed);
                return;
            }
        }
    }

    private void CompleteFlushes(bool all)
    {
        lock (_flushGate)
        {
            if (all) _finished = true;
            var processed = Processed;
            for (var i = _flushes.Count - 1; i >= 0; i--)
            {
                if (!all && _flushes[i].Target > processed) continue;
                _flushes[i].Done.TrySetResult();
                _flushes.RemoveAt(i);
            }
        }
    }
}
