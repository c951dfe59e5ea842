using Switchboard.Routing.Rules;

namespace Switchboard.Routing.Strategies;

/// <summary>The target of the first rule whose condition holds, else the default. Only the winner is tried; a route's <c>fallbacks</c> follow it.</summary>
internal sealed class RulesStrategy(IReadOnlyList<(RuleCondition When, string Target, string Reason)> rules, string fallback) : RouteStrategy
{
    public override string Name => "rules";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        foreach (var (when, target, reason) in rules)
        {
            if (!when.Evaluate(selection.Context)) continue;
            selection.Rule = reason;
            steps.Add(new(target, $"rule '{reason}' ({when.Text})"));
            return;
        }
        selection.Rule = "default";
        steps.Add(new(fallback, "no rule held: default"));
    }
}
