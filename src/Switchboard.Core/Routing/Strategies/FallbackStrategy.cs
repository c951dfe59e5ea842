namespace Switchboard.Routing.Strategies;

/// <summary>The targets in the order written.</summary>
internal sealed class FallbackStrategy(IReadOnlyList<string> targets) : RouteStrategy
{
    public override string Name => "fallback";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        for (var i = 0; i < targets.Count; i++) steps.Add(new(targets[i], i == 0 ? "first in order" : $"fallback {i}"));
    }
}
