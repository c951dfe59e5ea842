namespace Switchboard.Routing;

/// <summary>
/// What the router made of a requested name: the route and rule that applied, the deployments to try in order
/// with the reason for each, the targets left out and why, and the prompt's complexity when it was scored.
/// </summary>
public sealed record RoutingDecision
{
    public required string Requested { get; init; }

    /// <summary>The route, agent (<c>agent:pricing</c>) or workflow stage (<c>workflow:standard/plan</c>) that chose; null for a model asked for directly.</summary>
    public string? Route { get; init; }

    /// <summary>The reason of the rule (or tier, or split) that chose, for <c>x-switchboard-rule</c>.</summary>
    public string? Rule { get; init; }

    public required IReadOnlyList<RouteCandidate> Candidates { get; init; }

    public IReadOnlyList<SkippedTarget> Skipped { get; init; } = [];

    /// <summary>The prompt's score 0–10, when a rule or tier read it.</summary>
    public double? Complexity { get; init; }

    public IReadOnlyList<string> ComplexityReasons { get; init; } = [];

    /// <summary>The prompt's estimated tokens, when they were counted.</summary>
    public int? EstimatedTokens { get; init; }
}
