using System.Diagnostics;
using System.Globalization;

namespace Switchboard.Gateway;

/// <summary>
/// Measures the gateway's own time on a request: everything from the start of handling to the headers,
/// less the time spent waiting on the provider.
/// </summary>
internal struct RequestTiming
{
    private readonly long _started;
    private long _upstreamTicks;

    private RequestTiming(long started) => _started = started;

    public static RequestTiming Start() => new(Stopwatch.GetTimestamp());

    /// <summary>Counts <paramref name="upstream"/> as the provider's time, not ours.</summary>
    public void AddUpstream(TimeSpan upstream) => _upstreamTicks += (long)(upstream.TotalSeconds * Stopwatch.Frequency);

    public readonly string OverheadMilliseconds()
    {
        var ticks = Math.Max(0, Stopwatch.GetTimestamp() - _started - _upstreamTicks);
        return (ticks * 1000.0 / Stopwatch.Frequency).ToString("0.###", CultureInfo.InvariantCulture);
    }
}
