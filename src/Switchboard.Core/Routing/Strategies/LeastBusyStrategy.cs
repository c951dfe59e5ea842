namespace Switchboard.Routing.Strategies;

/// <summary>
/// Power of two choices: two targets drawn at random, the one with fewer calls in flight first. Cheaper than
/// scanning all and avoids every gateway piling onto the same idlest target at once; the rest follow by load.
/// </summary>
internal sealed class LeastBusyStrategy(IReadOnlyList<string> targets) : RouteStrategy
{
    public override string Name => "loadbalance least-busy";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        var load = new int[targets.Count];
        for (var i = 0; i < targets.Count; i++) load[i] = selection.Deployment(targets[i])?.InFlight ?? 0;
        var first = 0;
        if (targets.Count > 1)
        {
            var a = selection.Random.Next(targets.Count);
            var b = selection.Random.Next(targets.Count - 1);
            if (b >= a) b++;
            first = load[b] < load[a] ? b : a;
        }
        steps.Add(new(targets[first], $"fewer in flight ({load[first]}) of two drawn"));
        var rest = Enumerable.Range(0, targets.Count).Where(i => i != first).OrderBy(i => load[i]).ThenBy(i => i);
        foreach (var i in rest) steps.Add(new(targets[i], $"{load[i]} in flight"));
    }
}
