namespace Switchboard.Gateway.Metrics;

/// <summary>
/// A Prometheus histogram: per-bucket counts (not cumulative until scraped), a count and a sum, all updated
/// without locks so the request path never waits on a scrape.
/// </summary>
internal sealed class Histogram(double[] bounds)
{
    private readonly long[] _buckets = new long[bounds.Length + 1];
    private long _count;
    private double _sum;

    public double[] Bounds => bounds;

    public long Count => Interlocked.Read(ref _count);

    public double Sum => Volatile.Read(ref _sum);

    public void Observe(double value)
    {
        var i = 0;
        while (i < bounds.Length && value > bounds[i]) i++;
        Interlocked.Increment(ref _buckets[i]);
        Counters.Add(ref _sum, value);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The count of observations at or below each bound, then the +Inf bucket.</summary>
    public long[] Cumulative()
    {
        var cumulative = new long[_buckets.Length];
        long running = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            running += Interlocked.Read(ref _buckets[i]);
            cumulative[i] = running;
        }
        return cumulative;
    }
}
