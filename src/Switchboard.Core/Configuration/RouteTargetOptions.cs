namespace Switchboard.Configuration;

/// <summary>A target of a route: a model, an alias or another route, with its share of traffic.</summary>
public sealed record RouteTargetOptions(string Target)
{
    /// <summary>Its weight for <c>loadbalance</c> <c>weighted</c>.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>Its share of traffic for <c>split</c>, 0–100.</summary>
    public double Percent { get; init; }
}
