using Switchboard.Providers;
using Switchboard.Resilience;

namespace Switchboard.Routing.Strategies;

/// <summary>What a strategy may consult while ordering targets for one request, and where it leaves the rule that chose.</summary>
internal sealed class RouteSelection(RoutingContext context, DeploymentRegistry deployments, Random random, Func<string, ModelResolution?> model)
{
    public RoutingContext Context { get; } = context;

    public DeploymentRegistry Deployments { get; } = deployments;

    public Random Random { get; } = random;

    /// <summary>The text of the rule, tier or split that chose, for <c>x-switchboard-rule</c>.</summary>
    public string? Rule { get; set; }

    /// <summary>The deployment a target leads to when it names a model; null for a route.</summary>
    public ModelResolution? Model(string target) => model(target);

    /// <summary>The deployment's stats, if it has been called; null for a route or a model not called yet.</summary>
    public Deployment? Deployment(string target) => Model(target) is { } m ? Deployments.Find(m.Provider.Name, m.Model) : null;
}
