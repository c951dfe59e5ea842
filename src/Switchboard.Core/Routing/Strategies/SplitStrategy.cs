using System.Globalization;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// A share of traffic to each target, for A/B tests. With an <c>id</c> in the request the same id always lands
/// on the same target (a stable hash of it), so one task does not flip between models; without one, at random.
/// </summary>
internal sealed class SplitStrategy(IReadOnlyList<(string Target, double Percent)> targets) : RouteStrategy
{
    public override string Name => "split";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        var id = selection.Context.Id;
        var point = id is { Length: > 0 } ? StableHash.Percent(id) : selection.Random.NextDouble() * 100;
        var chosen = targets.Count - 1;
        var upTo = 0.0;
        for (var i = 0; i < targets.Count; i++)
        {
            upTo += targets[i].Percent;
            if (point < upTo)
            {
                chosen = i;
                break;
            }
        }
        var share = targets[chosen].Percent.ToString("0.##", CultureInfo.InvariantCulture);
        var why = id is { Length: > 0 } ? $"{share}% split, id bucket {point.ToString("0.##", CultureInfo.InvariantCulture)}" : $"{share}% split, random";
        selection.Rule = why;
        steps.Add(new(targets[chosen].Target, why));
        for (var i = 0; i < targets.Count; i++)
        {
            if (i != chosen) steps.Add(new(targets[i].Target, "split fallback"));
        }
    }
}
