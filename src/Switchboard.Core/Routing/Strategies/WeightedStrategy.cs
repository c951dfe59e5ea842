namespace Switchboard.Routing.Strategies;

/// <summary>Weighted random: a target with weight 3 is picked first three times as often as one with weight 1. The rest follow, drawn the same way.</summary>
internal sealed class WeightedStrategy(IReadOnlyList<(string Target, double Weight)> targets) : RouteStrategy
{
    private readonly double _total = targets.Sum(t => Math.Max(0, t.Weight));

    public override string Name => "loadbalance weighted";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        Span<bool> taken = stackalloc bool[targets.Count];
        var left = _total;
        for (var round = 0; round < targets.Count; round++)
        {
            var pick = Draw(selection.Random, taken, left);
            taken[pick] = true;
            var weight = Math.Max(0, targets[pick].Weight);
            steps.Add(new(targets[pick].Target, round == 0 ? $"weighted pick (weight {weight:0.##} of {_total:0.##})" : $"weighted fallback {round}"));
            left -= weight;
        }
    }

    private int Draw(Random random, Span<bool> taken, double left)
    {
        var point = random.NextDouble() * left;
        var last = -1;
        for (var i = 0; i < targets.Count; i++)
        {
            if (taken[i]) continue;
            last = i;
            point -= Math.Max(0, targets[i].Weight);
            if (point < 0) return i;
        }
        return last;
    }
}
