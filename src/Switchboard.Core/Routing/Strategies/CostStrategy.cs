using System.Globalization;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// Cheapest first, by the catalog's price of this request's estimated prompt plus as many tokens again of answer.
/// A target the router finds lacking a capability the request needs is skipped after ordering, so the cheapest
/// capable one is tried first. A target with no known price goes last.
/// </summary>
internal sealed class CostStrategy(IReadOnlyList<string> targets) : RouteStrategy
{
    public override string Name => "loadbalance cost";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        var tokens = Math.Max(1, selection.Context.Tokens);
        var priced = new (string Target, decimal? Usd)[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            var model = selection.Model(targets[i])?.CatalogModel;
            priced[i] = (targets[i], model is { InputPerMtok: { } input, OutputPerMtok: { } output } ? (input + output) * tokens / 1_000_000m : null);
        }
        foreach (var (target, usd) in priced.Select((p, i) => (p, i)).OrderBy(x => x.p.Usd is null).ThenBy(x => x.p.Usd).ThenBy(x => x.i).Select(x => x.p))
            steps.Add(new(target, usd is { } cost ? "estimated $" + cost.ToString("0.######", CultureInfo.InvariantCulture) : "price unknown"));
    }
}
