namespace Switchboard.Routing.Strategies;

/// <summary>How a route puts its targets in order for one request: the first is tried first, the rest are its fallbacks.</summary>
internal abstract class RouteStrategy
{
    /// <summary>The strategy as the decision names it: <c>fallback</c>, <c>loadbalance least-latency</c>, ...</summary>
    public abstract string Name { get; }

    /// <summary>Adds the route's targets to <paramref name="steps"/> in the order to try them.</summary>
    public abstract void Order(RouteSelection selection, List<RouteStep> steps);
}
