using System.Collections.Concurrent;
using Switchboard.Catalog;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Resilience;
using Switchboard.Routing.Rules;
using Switchboard.Routing.Strategies;

namespace Switchboard.Routing;

/// <summary>
/// Turns the name a client asked for into the deployments to try, in order, each with the reason it is there.
/// A route orders its targets by its strategy; a target may be another route; an agent's chain or a workflow's
/// stage applies when the request names them. When a route is involved, targets that lack what the request needs
/// (tools, images, a big enough context window) or whose provider has no key are left out, with the reason.
/// Knows nothing of HTTP: it reads a <see cref="RoutingContext"/> and the deployments' state, and calls no one.
/// </summary>
public sealed class Router
{
    private const int MaxRemembered = 4096;

    private readonly Dictionary<string, CompiledRoute> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CompiledRoute> _agents = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, CompiledRoute> _workflows = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RoutingDecision> _direct = new(StringComparer.Ordinal);
    private readonly ModelResolver _resolver;
    private readonly DeploymentRegistry _deployments;
    private readonly Random _random;

    public Router(SwitchboardOptions options, ModelResolver resolver, DeploymentRegistry deployments, Random? random = null)
    {
        _resolver = resolver;
        _deployments = deployments;
        _random = random ?? Random.Shared;
        var problems = new List<string>();
        foreach (var route in options.Routes.Values) _routes[route.Name] = Compile(route, problems);
        foreach (var (name, chain) in options.Agents) _agents[name] = new CompiledRoute("agent:" + name, new FallbackStrategy(chain), [], null);
        foreach (var (name, workflow) in options.Workflows) _workflows[name] = new CompiledRoute("workflow:" + name, new WorkflowStrategy(workflow), [], null);
        Validate(options, problems);
        if (problems.Count > 0) throw new ConfigException(problems);
    }

    /// <summary>True when the decision depends on the request's context, so the caller must build one.</summary>
    public bool NeedsContext(string requested) => _agents.Count > 0 || _workflows.Count > 0 || IsNamed(requested);

    /// <summary>The routes, agents and workflows a client can ask for by name.</summary>
    public IEnumerable<string> Names => _routes.Keys.Concat(_agents.Keys).Concat(_workflows.Keys);

    /// <summary>
    /// The decision for <paramref name="requested"/>. A concrete model asked for directly needs no context and is
    /// decided once; anything else reads <paramref name="context"/>. Throws a <see cref="SwitchboardException"/> the
    /// client can act on when the name is unknown or nothing can serve the request.
    /// </summary>
    public RoutingDecision Route(string requested, RoutingContext? context = null)
    {
        var named = Lookup(requested);
        if (named is null && context is not null)
        {
            if (context.Workflow is { } workflow && _workflows.TryGetValue(workflow, out var stages)) return Decide(requested, stages, context, alsoRequested: true);
            if (context.Agent is { } agent && _agents.TryGetValue(agent, out var chain)) return Decide(requested, chain, context, alsoRequested: true);
        }
        if (named is null) return Direct(requested);
        return Decide(requested, named, context ?? new RoutingContext { Model = requested }, alsoRequested: false);
    }

    private RoutingDecision Direct(string requested)
    {
        if (_direct.TryGetValue(requested, out var known)) return known;
        var target = _resolver.Resolve(requested);
        var decision = new RoutingDecision
        {
            Requested = requested,
            Candidates = [new RouteCandidate(target, "asked for") { Timeout = target.CatalogModel?.Timeout }],
        };
        if (_direct.Count < MaxRemembered) _direct.TryAdd(requested, decision);
        return decision;
    }

    private RoutingDecision Decide(string requested, CompiledRoute route, RoutingContext context, bool alsoRequested)
    {
        var build = new DecisionBuilder(context);
        var selection = new RouteSelection(context, _deployments, _random, ModelOf);
        Expand(route, "", selection, build);
        if (alsoRequested && TryResolve(requested) is not null) AddModel(requested, "asked for, after the chain", null, build);
        if (build.Candidates.Count == 0) throw NothingFits(requested, route.Name, build);
        return new RoutingDecision
        {
            Requested = requested,
            Route = route.Name,
            Rule = build.Rule,
            Candidates = build.Candidates,
            Skipped = build.Skipped,
            Complexity = context.Analysed ? context.Complexity : null,
            ComplexityReasons = context.Analysed ? context.ComplexityReasons : [],
            EstimatedTokens = context.Analysed ? context.Tokens : null,
        };
    }

    private void Expand(CompiledRoute route, string via, RouteSelection selection, DecisionBuilder build)
    {
        var steps = new List<RouteStep>();
        route.Strategy.Order(selection, steps);
        build.Rule ??= selection.Rule;
        var prefix = via.Length == 0 ? route.Name : via + " > " + route.Name;
        foreach (var step in steps) ExpandTarget(step.Target, prefix + ": " + step.Reason, route.Timeout, selection, build);
        foreach (var fallback in route.Fallbacks) ExpandTarget(fallback, prefix + ": fallback", route.Timeout, selection, build);
    }

    private void ExpandTarget(string target, string reason, TimeSpan? timeout, RouteSelection selection, DecisionBuilder build)
    {
        if (Lookup(target) is { } inner)
        {
            Expand(inner with { Timeout = inner.Timeout ?? timeout }, reason, selection, build);
            return;
        }
        AddModel(target, reason, timeout, build);
    }

    private void AddModel(string name, string reason, TimeSpan? timeout, DecisionBuilder build)
    {
        var target = _resolver.Resolve(name);
        var deployment = target.Provider.Name + "/" + target.Model;
        if (!build.Seen.Add(deployment)) return;
        if (Unfit(target, build.Context) is { } why)
        {
            build.Skipped.Add(new SkippedTarget(deployment, why));
            return;
        }
        if (target.Provider.Missing.Count > 0 || target.Provider.Adapter is null)
        {
            build.Skipped.Add(new SkippedTarget(deployment, target.Provider.Missing.Count > 0 ? "no key: " + string.Join(", ", target.Provider.Missing.Select(m => m.Variable)) + " not set" : "provider not supported"));
            build.Uncallable ??= target;
            return;
        }
        build.Candidates.Add(new RouteCandidate(target, reason) { Timeout = timeout ?? target.CatalogModel?.Timeout });
    }

    /// <summary>Why a model cannot serve this request, or null when it can (or the catalog does not know it, so it gets the benefit of the doubt).</summary>
    private static string? Unfit(ModelResolution target, RoutingContext context)
    {
        if (target.CatalogModel is not { } model) return null;
        if (context.HasTools && !model.Has(ModelCapabilities.Tools)) return "the request has tools; the model does not take tools";
        if (context.HasImages && !model.Has(ModelCapabilities.Vision)) return "the request has images; the model does not take images";
        if (model.ContextWindow is { } window && context.Tokens > window)
            return $"the prompt's estimated {context.Tokens:N0} tokens exceed its context window of {window:N0}";
        return null;
    }

    private static SwitchboardException NothingFits(string requested, string route, DecisionBuilder build)
    {
        // Only keys missing: the provider's own error says exactly which variable to set.
        if (build.Uncallable is { } uncallable && build.Skipped.All(s => s.Reason.StartsWith("no key", StringComparison.Ordinal) || s.Reason.StartsWith("provider", StringComparison.Ordinal)))
            uncallable.Provider.EnsureCallable(uncallable.Model);
        var reasons = string.Join("; ", build.Skipped.Select(s => $"{s.Target}: {s.Reason}"));
        return new SwitchboardException(ErrorCategory.BadRequest, 400,
            $"No target of {route} (asked for as '{requested}') can serve this request. {reasons}.", "model", "no_capable_target");
    }

    private CompiledRoute? Lookup(string name) =>
        _routes.TryGetValue(name, out var route) ? route
        : _agents.TryGetValue(name, out var agent) ? agent
        : _workflows.TryGetValue(name, out var workflow) ? workflow
        : null;

    private bool IsNamed(string name) => _routes.ContainsKey(name) || _agents.ContainsKey(name) || _workflows.ContainsKey(name);

    private ModelResolution? ModelOf(string target) => IsNamed(target) ? null : TryResolve(target);

    private ModelResolution? TryResolve(string name)
    {
        try
        {
            return _resolver.Resolve(name);
        }
        catch (SwitchboardException)
        {
            return null;
        }
    }

    private static CompiledRoute Compile(RouteOptions route, List<string> problems)
    {
        var names = route.Targets.Select(t => t.Target).ToList();
        RouteStrategy strategy = route.Strategy switch
        {
            RouteStrategies.Fallback => new FallbackStrategy(names),
            RouteStrategies.Split => new SplitStrategy(route.Targets.Select(t => (t.Target, t.Percent)).ToList()),
            RouteStrategies.Complexity => new ComplexityStrategy(route.Tiers),
            RouteStrategies.Rules => new RulesStrategy(CompileRules(route, problems), route.Default ?? ""),
            _ => route.Mode switch
            {
                RouteStrategies.LeastLatency => new LeastLatencyStrategy(names),
                RouteStrategies.LeastBusy => new LeastBusyStrategy(names),
                RouteStrategies.Cost => new CostStrategy(names),
                _ => new WeightedStrategy(route.Targets.Select(t => (t.Target, t.Weight)).ToList()),
            },
        };
        return new CompiledRoute(route.Name, strategy, route.Fallbacks, route.Timeout);
    }

    private static List<(RuleCondition, string, string)> CompileRules(RouteOptions route, List<string> problems)
    {
        var rules = new List<(RuleCondition, string, string)>();
        for (var i = 0; i < route.Rules.Count; i++)
        {
            var rule = route.Rules[i];
            try
            {
                rules.Add((RuleCondition.Parse(rule.When), rule.Target, rule.Reason ?? rule.When));
            }
            catch (RuleSyntaxException e)
            {
                problems.Add($"routes.{route.Name}.rules[{i}].when: {e.Message}");
            }
        }
        return rules;
    }

    /// <summary>Every target names a route, agent, workflow or a model Switchboard can place, and no route leads back to itself.</summary>
    private void Validate(SwitchboardOptions options, List<string> problems)
    {
        foreach (var name in options.Agents.Keys.Concat(options.Workflows.Keys))
        {
            var kinds = (_routes.ContainsKey(name) ? 1 : 0) + (_agents.ContainsKey(name) ? 1 : 0) + (_workflows.ContainsKey(name) ? 1 : 0);
            if (kinds > 1) problems.Add($"'{name}' is the name of more than one route, agent or workflow; a client asking for it would be ambiguous.");
        }
        foreach (var (owner, target) in References(options))
        {
            if (IsNamed(target)) continue;
            try
            {
                _resolver.Resolve(target);
            }
            catch (SwitchboardException e)
            {
                problems.Add($"{owner}: '{target}' is not a route, agent or workflow, nor a model Switchboard can place. {e.Message}");
            }
        }
        foreach (var name in _routes.Keys.Concat(_agents.Keys))
        {
            if (Cycle(name, options, []) is { } path) problems.Add($"routes: {path} leads back to itself.");
        }
    }

    private static IEnumerable<(string Owner, string Target)> References(SwitchboardOptions options)
    {
        foreach (var route in options.Routes.Values)
        {
            var owner = "routes." + route.Name;
            foreach (var target in Targets(route)) yield return (owner, target);
        }
        foreach (var (agent, chain) in options.Agents)
        {
            foreach (var target in chain) yield return ("agents." + agent, target);
        }
        foreach (var workflow in options.Workflows.Values)
        {
            foreach (var (stage, target) in workflow.Stages) yield return ($"workflows.{workflow.Name}.{stage}", target);
        }
    }

    private static IEnumerable<string> Targets(RouteOptions route) =>
        route.Targets.Select(t => t.Target).Concat(route.Rules.Select(r => r.Target)).Concat(route.Tiers.Select(t => t.Target))
            .Concat(route.Fallbacks).Concat(route.Default is null ? [] : [route.Default]);

    private static string? Cycle(string name, SwitchboardOptions options, List<string> path)
    {
        if (path.Contains(name, StringComparer.OrdinalIgnoreCase)) return string.Join(" > ", path.Append(name));
        IEnumerable<string> next = options.Routes.TryGetValue(name, out var route) ? Targets(route)
            : options.Agents.TryGetValue(name, out var chain) ? chain
            : options.Workflows.TryGetValue(name, out var workflow) ? workflow.Stages.Select(s => s.Value)
            : [];
        path.Add(name);
        foreach (var target in next)
        {
            if (Cycle(target, options, path) is { } found) return found;
        }
        path.RemoveAt(path.Count - 1);
        return null;
    }

    private sealed class DecisionBuilder(RoutingContext context)
    {
        public RoutingContext Context { get; } = context;

        public List<RouteCandidate> Candidates { get; } = [];

        public List<SkippedTarget> Skipped { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string? Rule { get; set; }

        /// <summary>The first target left out for a missing key, whose error names the variable to set.</summary>
        public ModelResolution? Uncallable { get; set; }
    }
}
