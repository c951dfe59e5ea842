namespace Switchboard.Configuration;

/// <summary>One entry of <c>routes:</c>, a name clients ask for like a model, and how it picks among its targets.</summary>
public sealed record RouteOptions
{
    public required string Name { get; init; }

    /// <summary>One of <see cref="RouteStrategies"/>.</summary>
    public required string Strategy { get; init; }

    /// <summary>For <c>loadbalance</c>: <c>weighted</c> (default), <c>least-latency</c>, <c>least-busy</c> or <c>cost</c>.</summary>
    public string? Mode { get; init; }

    /// <summary>Models or other routes, for <c>fallback</c>, <c>loadbalance</c> and <c>split</c>.</summary>
    public IReadOnlyList<RouteTargetOptions> Targets { get; init; } = [];

    /// <summary>For <c>rules</c>: tried in order, the first whose condition holds wins.</summary>
    public IReadOnlyList<RouteRuleOptions> Rules { get; init; } = [];

    /// <summary>For <c>rules</c>: the target when no rule holds.</summary>
    public string? Default { get; init; }

    /// <summary>For <c>complexity</c>: ordered by bound, the last without one.</summary>
    public IReadOnlyList<ComplexityTierOptions> Tiers { get; init; } = [];

    /// <summary>Tried in order after whatever the strategy picked has failed.</summary>
    public IReadOnlyList<string> Fallbacks { get; init; } = [];

    /// <summary>This route's time to first byte per attempt, over <see cref="ResilienceOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}
