using System.Globalization;
using Switchboard.Configuration;

namespace Switchboard.Routing.Strategies;

/// <summary>
/// The tier whose bound the prompt's complexity falls under. If that tier fails, the tiers above it are tried
/// (a stronger model can do an easier task), then the ones below.
/// </summary>
internal sealed class ComplexityStrategy(IReadOnlyList<ComplexityTierOptions> tiers) : RouteStrategy
{
    public override string Name => "complexity";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        var score = selection.Context.Complexity;
        var chosen = tiers.Count - 1;
        for (var i = 0; i < tiers.Count; i++)
        {
            if (tiers[i].Below is { } below && score < below)
            {
                chosen = i;
                break;
            }
        }
        var text = score.ToString("0.#", CultureInfo.InvariantCulture);
        var why = tiers[chosen].Below is { } bound
            ? $"complexity {text} below {bound.ToString("0.#", CultureInfo.InvariantCulture)}"
            : $"complexity {text}, top tier";
        selection.Rule = why;
        steps.Add(new(tiers[chosen].Target, why));
        for (var i = chosen + 1; i < tiers.Count; i++) steps.Add(new(tiers[i].Target, "stronger tier"));
        for (var i = chosen - 1; i >= 0; i--) steps.Add(new(tiers[i].Target, "weaker tier"));
    }
}
