using System.Globalization;
using Switchboard.Routing.Rules;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Configuration;

/// <summary>Reads the <c>routes:</c>, <c>agents:</c> and <c>workflows:</c> sections.</summary>
internal static class RouteConfig
{
    private static readonly string[] RouteKeys = ["strategy", "mode", "targets", "rules", "default", "tiers", "fallbacks", "timeout"];
    private static readonly string[] TargetKeys = ["target", "weight", "percent"];
    private static readonly string[] RuleKeys = ["when", "target", "reason"];
    private static readonly string[] TierKeys = ["below", "model", "target"];
    private static readonly string[] StageKeys = ["model", "prompt"];

    /// <summary>What each strategy needs, so a route missing it is named at load rather than failing a request.</summary>
    private static readonly Dictionary<string, string> Needs = new()
    {
        [RouteStrategies.Fallback] = "targets",
        [RouteStrategies.LoadBalance] = "targets",
        [RouteStrategies.Split] = "targets",
        [RouteStrategies.Rules] = "rules",
        [RouteStrategies.Complexity] = "tiers",
    };

    public static Dictionary<string, RouteOptions> ReadRoutes(YamlMap? map, ConfigProblems problems)
    {
        var routes = new Dictionary<string, RouteOptions>(StringComparer.OrdinalIgnoreCase);
        if (map is null) return routes;
        foreach (var (name, value, start) in map.Entries)
        {
            if (value is not YamlMappingNode node)
            {
                problems.Add(start, $"routes.{name} must be a mapping such as {{ strategy: fallback, targets: [gpt-4.1, claude-sonnet-4-5] }}.");
                continue;
            }
            var entry = new YamlMap(node, "routes." + name, problems);
            entry.RejectUnknown(RouteKeys);
            var strategy = entry.String("strategy");
            if (strategy is null)
            {
                entry.Problem(node, $"routes.{name} needs a strategy: {string.Join(", ", RouteStrategies.All)}.");
                continue;
            }
            if (!RouteStrategies.All.Contains(strategy))
            {
                entry.Problem(entry.Node("strategy")!, $"routes.{name}.strategy '{strategy}' is not one of: {string.Join(", ", RouteStrategies.All)}.");
                continue;
            }
            var mode = entry.String("mode");
            if (mode is not null && (strategy != RouteStrategies.LoadBalance || !RouteStrategies.Modes.Contains(mode)))
            {
                entry.Problem(entry.Node("mode")!, strategy == RouteStrategies.LoadBalance
                    ? $"routes.{name}.mode '{mode}' is not one of: {string.Join(", ", RouteStrategies.Modes)}."
                    : $"routes.{name}.mode applies only to strategy loadbalance.");
            }
            var route = new RouteOptions
            {
                Name = name,
                Strategy = strategy,
                Mode = mode,
                Targets = ReadTargets(entry, strategy),
                Rules = ReadRules(entry),
                Default = entry.String("default"),
                Tiers = ReadTiers(entry),
                Fallbacks = entry.Strings("fallbacks") ?? [],
                Timeout = ConfigLoader.Positive(entry, "timeout"),
            };
            CheckShape(entry, node, route);
            routes[name] = route;
        }
        return routes;
    }

    private static void CheckShape(YamlMap entry, YamlMappingNode node, RouteOptions route)
    {
        var needed = Needs[route.Strategy];
        var empty = needed switch
        {
            "targets" => route.Targets.Count == 0,
            "rules" => route.Rules.Count == 0 && route.Default is null,
            _ => route.Tiers.Count == 0,
        };
        if (empty) entry.Problem(node, $"{entry.Path} has strategy {route.Strategy}, which needs {needed}.");
        foreach (var key in new[] { "targets", "rules", "tiers" })
        {
            if (key != needed && entry.Node(key) is { } stray && !(key == "targets" && route.Strategy == RouteStrategies.Rules))
                entry.Problem(stray, $"{entry.Join(key)} does not apply to strategy {route.Strategy}, which uses {needed}.");
        }
        if (route.Strategy == RouteStrategies.Rules && route.Default is null)
            entry.Problem(node, $"{entry.Path} needs a default: the target when no rule holds.");
        if (route.Strategy == RouteStrategies.Split && route.Targets.Count > 0 && Math.Abs(route.Targets.Sum(t => t.Percent) - 100) > 0.001)
            entry.Problem(entry.Node("targets")!, $"{entry.Join("targets")} of a split must have percents that add up to 100, not {route.Targets.Sum(t => t.Percent).ToString(CultureInfo.InvariantCulture)}.");
        if (route.Strategy == RouteStrategies.Complexity && route.Tiers.Count > 0)
        {
            for (var i = 0; i < route.Tiers.Count - 1; i++)
            {
                if (route.Tiers[i].Below is not { } below || (i > 0 && route.Tiers[i - 1].Below >= below))
                    entry.Problem(entry.Node("tiers")!, $"{entry.Join("tiers")}[{i}] needs a below: bound greater than the tier before it; only the last tier has none.");
            }
            if (route.Tiers[^1].Below is not null)
                entry.Problem(entry.Node("tiers")!, $"{entry.Join("tiers")} must end with a tier without below:, for the most complex prompts.");
        }
    }

    /// <summary>Targets as plain names (<c>[a, b]</c>) or entries with a weight or percent (<c>[{ target: a, weight: 3 }]</c>).</summary>
    private static List<RouteTargetOptions> ReadTargets(YamlMap entry, string strategy)
    {
        var targets = new List<RouteTargetOptions>();
        if (entry.Node("targets") is not { } node) return targets;
        if (node is not YamlSequenceNode list)
        {
            entry.Problem(node, $"{entry.Join("targets")} must be a list of models or routes.");
            return targets;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{entry.Join("targets")}[{i}]";
            switch (list.Children[i])
            {
                case YamlScalarNode { Value: { Length: > 0 } plain }:
                    if (strategy == RouteStrategies.Split) entry.Problem(list.Children[i], $"{path} of a split needs its share: {{ target: {plain}, percent: 10 }}.");
                    targets.Add(new RouteTargetOptions(plain));
                    break;
                case YamlMappingNode item:
                    var target = new YamlMap(item, path, entry.Problems);
                    target.RejectUnknown(TargetKeys);
                    var name = target.String("target");
                    if (string.IsNullOrWhiteSpace(name))
                    {
                        entry.Problem(item, $"{path} needs a target: a model or route name.");
                        break;
                    }
                    var weight = target.Decimal("weight");
                    var percent = target.Decimal("percent");
                    if (percent is > 100) target.Problem(target.Node("percent")!, $"{path}.percent must be from 0 to 100.");
                    targets.Add(new RouteTargetOptions(name) { Weight = (double)(weight ?? 1), Percent = (double)(percent ?? 0) });
                    break;
                default:
                    entry.Problem(list.Children[i], $"{path} must be a model or route name, or {{ target: name, weight: 1 }}.");
                    break;
            }
        }
        return targets;
    }

    private static List<RouteRuleOptions> ReadRules(YamlMap entry) =>
        ReadItems<RouteRuleOptions>(entry, "rules", RuleKeys, "{ when: \"priority == 0\", target: model, reason: why }", (rule, path) =>
        {
            var when = rule.String("when");
            var target = rule.String("target");
            if (string.IsNullOrWhiteSpace(when) || string.IsNullOrWhiteSpace(target)) return (null, "needs both when: (a condition) and target: (a model or route)");
            try
            {
                RuleCondition.Parse(when);
            }
            catch (RuleSyntaxException e)
            {
                rule.Problem(rule.Node("when")!, $"{path}.when \"{when}\": {e.Message}");
            }
            return (new RouteRuleOptions(when, target) { Reason = rule.String("reason") }, null);
        });

    private static List<ComplexityTierOptions> ReadTiers(YamlMap entry) =>
        ReadItems<ComplexityTierOptions>(entry, "tiers", TierKeys, "{ below: 3, model: gpt-5-nano }", (tier, path) =>
        {
            var target = tier.String("model") ?? tier.String("target");
            if (string.IsNullOrWhiteSpace(target)) return (null, "needs a model: (or target:)");
            var below = tier.Decimal("below");
            if (below is > 10) tier.Problem(tier.Node("below")!, $"{path}.below is a complexity score from 0 to 10.");
            return (new ComplexityTierOptions(below is null ? null : (double)below, target), null);
        });

    /// <summary>
    /// A list of mappings under <paramref name="key"/>, each read strictly by <paramref name="read"/>, which gives the
    /// item or what the item lacks (reported at the item).
    /// </summary>
    private static List<T> ReadItems<T>(YamlMap entry, string key, string[] allowed, string example, Func<YamlMap, string, (T? Item, string? Lacks)> read)
        where T : class
    {
        var items = new List<T>();
        if (entry.Node(key) is not { } node) return items;
        if (node is not YamlSequenceNode list)
        {
            entry.Problem(node, $"{entry.Join(key)} must be a list of mappings such as {example}.");
            return items;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{entry.Join(key)}[{i}]";
            if (list.Children[i] is not YamlMappingNode item)
            {
                entry.Problem(list.Children[i], $"{path} must be a mapping such as {example}.");
                continue;
            }
            var map = new YamlMap(item, path, entry.Problems);
            map.RejectUnknown(allowed);
            var (value, lacks) = read(map, path);
            if (value is not null) items.Add(value);
            else entry.Problem(item, $"{path} {lacks}.");
        }
        return items;
    }

    public static Dictionary<string, IReadOnlyList<string>> ReadAgents(YamlMap? map, ConfigProblems problems)
    {
        var agents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (map is null) return agents;
        foreach (var (name, value, start) in map.Entries)
        {
            if (value is YamlSequenceNode list && list.Children.Count > 0 && list.Children.All(c => c is YamlScalarNode { Value.Length: > 0 }))
                agents[name] = list.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
            else if (value is YamlScalarNode { Value: { Length: > 0 } one })
                agents[name] = [one];
            else
                problems.Add(start, $"agents.{name} must be a list of models or routes to try in order, such as [claude-sonnet-4-5, gpt-4.1].");
        }
        return agents;
    }

    public static Dictionary<string, WorkflowOptions> ReadWorkflows(YamlMap? map, ConfigProblems problems)
    {
        var workflows = new Dictionary<string, WorkflowOptions>(StringComparer.OrdinalIgnoreCase);
        if (map is null) return workflows;
        foreach (var (name, value, start) in map.Entries)
        {
            if (value is not YamlMappingNode node || node.Children.Count == 0)
            {
                problems.Add(start, $"workflows.{name} must map each stage to its model, such as {{ plan: claude-haiku-4-5, implement: claude-sonnet-4-5, review: gpt-4.1 }}.");
                continue;
            }
            var stages = new List<KeyValuePair<string, string>>();
            var prompts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (stage, definition, stageStart) in new YamlMap(node, "workflows." + name, problems).Entries)
            {
                var path = $"workflows.{name}.{stage}";
                switch (definition)
                {
                    case YamlScalarNode { Value: { Length: > 0 } target }:
                        stages.Add(new(stage, target));
                        break;
                    case YamlMappingNode details:
                        var entry = new YamlMap(details, path, problems);
                        entry.RejectUnknown(StageKeys);
                        var model = entry.String("model");
                        var prompt = entry.String("prompt");
                        if (string.IsNullOrWhiteSpace(model))
                        {
                            problems.Add(stageStart, $"{path} needs a model: the model or route that does the stage, such as {{ model: claude-haiku-4-5, prompt: \"Write a plan for...\" }}.");
                            break;
                        }
                        if (prompt is not null && string.IsNullOrWhiteSpace(prompt)) entry.Problem(entry.Node("prompt")!, $"{path}.prompt is empty; leave it out for the default prompt.");
                        stages.Add(new(stage, model));
                        if (!string.IsNullOrWhiteSpace(prompt)) prompts[stage] = prompt;
                        break;
                    default:
                        problems.Add(stageStart, $"{path} must name one model or route, or be {{ model: ..., prompt: ... }}.");
                        break;
                }
            }
            workflows[name] = new WorkflowOptions(name, stages) { Prompts = prompts };
        }
        return workflows;
    }

}
