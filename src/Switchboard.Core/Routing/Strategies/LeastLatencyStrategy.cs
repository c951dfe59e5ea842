namespace Switchboard.Routing.Strategies;

/// <summary>
/// The target with the lowest moving average of time to first byte first. A target not called yet goes ahead of
/// the measured ones, so every target gets measured rather than the first fast one winning forever.
/// </summary>
internal sealed class LeastLatencyStrategy(IReadOnlyList<string> targets) : RouteStrategy
{
    public override string Name => "loadbalance least-latency";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        var ranked = new (string Target, double? Ms)[targets.Count];
        for (var i = 0; i < targets.Count; i++) ranked[i] = (targets[i], selection.Deployment(targets[i])?.FirstByteMilliseconds);
        // A stable sort keeps the written order among equals.
        var order = ranked.Select((r, i) => (r, i)).OrderBy(x => x.r.Ms ?? -1).ThenBy(x => x.i).Select(x => x.r);
        foreach (var (target, ms) in order)
            steps.Add(new(target, ms is { } avg ? $"time to first byte {avg:0}ms (moving average)" : "not measured yet"));
    }
}
