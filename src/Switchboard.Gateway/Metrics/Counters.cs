namespace Switchboard.Gateway.Metrics;

/// <summary>Lock-free arithmetic the framework has no Interlocked method for.</summary>
internal static class Counters
{
    /// <summary>Adds to a double shared between threads (a compare-and-swap loop: sums of seconds and dollars).</summary>
    public static void Add(ref double target, double value)
    {
        var current = Volatile.Read(ref target);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref target, current + value, current);
            // Compared as bits: NaN never equals itself, and a NaN sum would otherwise spin forever.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current)) return;
            current = seen;
        }
    }
}
