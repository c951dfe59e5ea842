namespace Switchboard.Resilience;

/// <summary>
/// A provider's health from the outcomes of recent calls to it (passive: no calls are made to find out):
/// <c>healthy</c>, <c>degraded</c> when some recent calls failed or a circuit is open, <c>down</c> when most failed.
/// </summary>
public sealed class ProviderHealth
{
    /// <summary>Outcomes kept; older ones, and any older than <see cref="Window"/>, no longer count.</summary>
    private const int Capacity = 50;
    private const int MinimumCalls = 3;
    private const double DownRatio = 0.5;
    private const double DegradedRatio = 0.1;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly (DateTimeOffset At, bool Ok, double Milliseconds)[] _outcomes = new (DateTimeOffset, bool, double)[Capacity];
    private int _next;
    private int _count;

    internal ProviderHealth(string name, TimeProvider time)
    {
        Name = name;
        _time = time;
    }

    public string Name { get; }

    internal void Record(bool ok, TimeSpan time)
    {
        lock (_gate)
        {
            _outcomes[_next] = (_time.GetUtcNow(), ok, time.TotalMilliseconds);
            _next = (_next + 1) % Capacity;
            if (_count < Capacity) _count++;
        }
    }

    /// <summary>The recent calls, failures and latencies, and the status they add up to given how many circuits are open.</summary>
    public ProviderHealthReport Report(int openCircuits)
    {
        var since = _time.GetUtcNow() - Window;
        var latencies = new List<double>(_count);
        var failures = 0;
        lock (_gate)
        {
            for (var i = 0; i < _count; i++)
            {
                var (at, ok, ms) = _outcomes[i];
                if (at < since) continue;
                latencies.Add(ms);
                if (!ok) failures++;
            }
        }
        var calls = latencies.Count;
        var ratio = calls == 0 ? 0 : (double)failures / calls;
        var status = calls >= MinimumCalls && ratio >= DownRatio ? HealthStatus.Down
            : openCircuits > 0 || (calls > 0 && ratio >= DegradedRatio) ? HealthStatus.Degraded
            : HealthStatus.Healthy;
        latencies.Sort();
        return new ProviderHealthReport(Name, status, calls, failures, Percentile(latencies, 0.5), Percentile(latencies, 0.95), openCircuits);
    }

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
