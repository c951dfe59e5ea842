namespace Switchboard.Configuration;

/// <summary>The strategies a route can use, and the modes of <c>loadbalance</c>.</summary>
public static class RouteStrategies
{
    public const string Fallback = "fallback";
    public const string LoadBalance = "loadbalance";
    public const string Rules = "rules";
    public const string Complexity = "complexity";
    public const string Split = "split";

    public const string Weighted = "weighted";
    public const string LeastLatency = "least-latency";
    public const string LeastBusy = "least-busy";
    public const string Cost = "cost";

    public static readonly string[] All = [Fallback, LoadBalance, Rules, Complexity, Split];

    public static readonly string[] Modes = [Weighted, LeastLatency, LeastBusy, Cost];
}
