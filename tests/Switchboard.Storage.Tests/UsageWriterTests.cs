using Microsoft.Extensions.Logging;
using Shouldly;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Storage.Tests;

/// <summary>
/// The writer's buffering, batching and retrying, against a store that fails or stalls on command. (The real
/// backends are written through the writer in <see cref="StoreContractTests"/>.)
/// </summary>
public sealed class UsageWriterTests
{
    private static readonly UsageWriterOptions Fast = new() { RetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(5) };

    [Fact]
    public async Task A_full_buffer_makes_RecordAsync_wait_and_TryRecord_drop()
    {
        var store = new ScriptedStore();
        var release = store.BlockWrites();
        var writer = new UsageWriter(store, TimeProvider.System, Fast with { Capacity = 4, BatchSize = 1 });

        writer.TryRecord(Records.Make(0)).ShouldBeTrue();
        await store.WriteStarted.WaitAsync(TimeSpan.FromSeconds(30)); // the loop holds record 0 and is stuck writing it
        for (var i = 1; i <= 4; i++) writer.TryRecord(Records.Make(i)).ShouldBeTrue();
        writer.TryRecord(Records.Make(5)).ShouldBeFalse();
        writer.Dropped.ShouldBe(1);
        var waiting = writer.RecordAsync(Records.Make(6)).AsTask();
        await Task.Delay(100);
        waiting.IsCompleted.ShouldBeFalse("a full buffer holds the caller back");
        writer.Pending.ShouldBe(5);

        release();
        (await waiting.WaitAsync(TimeSpan.FromSeconds(30))).ShouldBeTrue();
        await writer.StopAsync();

        writer.Written.ShouldBe(6);
        writer.Dropped.ShouldBe(1);
        store.Stored.Count.ShouldBe(6);
    }

    [Fact]
    public async Task A_failed_batch_is_retried_until_it_is_written()
    {
        var store = new ScriptedStore { FailuresLeft = 2 };
        var logger = new ListLogger();
        var writer = new UsageWriter(store, TimeProvider.System, Fast, logger);

        for (var i = 0; i < 10; i++) writer.TryRecord(Records.Make(i));
        await writer.StopAsync();

        writer.Written.ShouldBe(10);
        writer.Failed.ShouldBe(0);
        store.Stored.Count.ShouldBe(10);
        store.Calls.ShouldBeGreaterThanOrEqualTo(3);
        logger.Entries.Count(e => e.Level == LogLevel.Warning).ShouldBe(2);
    }

    [Fact]
    public async Task A_batch_that_keeps_failing_is_counted_and_logged_not_lost_in_silence()
    {
        var store = new ScriptedStore { FailuresLeft = int.MaxValue };
        var logger = new ListLogger();
        var writer = new UsageWriter(store, TimeProvider.System, Fast with { MaxAttempts = 3 }, logger);

        for (var i = 0; i < 7; i++) writer.TryRecord(Records.Make(i));
        await writer.StopAsync();

        writer.Written.ShouldBe(0);
        writer.Failed.ShouldBe(7);
        writer.Pending.ShouldBe(0);
        var error = logger.Entries.Where(e => e.Level == LogLevel.Error).ShouldHaveSingleItem();
        error.Message.ShouldContain("7 usage records");
    }

    [Fact]
    public async Task Batches_are_never_larger_than_the_batch_size()
    {
        var store = new ScriptedStore();
        var writer = new UsageWriter(store, TimeProvider.System, Fast with { BatchSize = 100 });

        for (var i = 0; i < 1_050; i++) await writer.RecordAsync(Records.Make(i));
        await writer.StopAsync();

        store.Stored.Count.ShouldBe(1_050);
        store.BatchSizes.ShouldAllBe(size => size <= 100);
    }

    [Fact]
    public async Task A_lone_record_is_written_after_the_flush_interval()
    {
        var store = new ScriptedStore();
        await using var writer = new UsageWriter(store, TimeProvider.System, Fast with { FlushInterval = TimeSpan.FromMilliseconds(50) });

        writer.TryRecord(Records.Make());

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (writer.Written == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        writer.Written.ShouldBe(1);
    }

    [Fact]
    public async Task Cancelling_a_waiting_RecordAsync_counts_the_record_as_dropped()
    {
        var store = new ScriptedStore();
        var release = store.BlockWrites();
        var writer = new UsageWriter(store, TimeProvider.System, Fast with { Capacity = 1, BatchSize = 1 });
        writer.TryRecord(Records.Make(0));
        await store.WriteStarted.WaitAsync(TimeSpan.FromSeconds(30));
        writer.TryRecord(Records.Make(1)).ShouldBeTrue();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Should.ThrowAsync<OperationCanceledException>(() => writer.RecordAsync(Records.Make(2), cancel.Token).AsTask());

        writer.Dropped.ShouldBe(1);
        release();
        await writer.StopAsync();
        writer.Written.ShouldBe(2);
    }

    /// <summary>Keeps what it is given; fails or blocks when told to.</summary>
    private sealed class ScriptedStore : IUsageStore
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource? _gate;

        public List<UsageRecord> Stored { get; } = [];

        public List<int> BatchSizes { get; } = [];

        public int FailuresLeft { get; set; }

        public int Calls { get; private set; }

        public Task WriteStarted => _started.Task;

        public Action BlockWrites()
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return () => _gate.TrySetResult();
        }

        public async Task WriteUsageAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken = default)
        {
            // The writer has one loop: calls never overlap, so plain fields are enough.
            Calls++;
            _started.TrySetResult();
            if (_gate is not null) await _gate.Task;
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                throw new InvalidOperationException("the store is down");
            }
            BatchSizes.Add(records.Count);
            Stored.AddRange(records);
        }

        public Task<UsageReport> QueryUsageAsync(UsageQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class ListLogger : ILogger<UsageWriter>
    {
        private readonly object _gate = new();
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_gate) return [.. _entries];
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_gate) _entries.Add((logLevel, formatter(state, exception)));
        }
    }
}
