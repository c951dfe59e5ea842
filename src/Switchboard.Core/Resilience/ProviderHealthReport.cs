namespace Switchboard.Resilience;

/// <summary>A provider's health now: its status, and the recent calls it comes from.</summary>
public sealed record ProviderHealthReport(string Provider, string Status, int Calls, int Failures, double? P50Milliseconds, double? P95Milliseconds, int OpenCircuits)
{
    public double ErrorRate => Calls == 0 ? 0 : (double)Failures / Calls;
}
