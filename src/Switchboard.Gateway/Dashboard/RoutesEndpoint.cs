using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// <c>GET /api/routes</c>: the routing config as it was loaded (routes with their strategy, targets, rules, tiers and
/// fallbacks; agents; workflows; aliases), each target with the provider and model it leads to, or <c>route</c> when
/// it names another route, agent or workflow.
/// </summary>
internal static class RoutesEndpoint
{
    public static void Map(WebApplication app, SwitchboardRuntime runtime) =>
        app.MapGet("/api/routes", context => JsonAnswer.WriteAsync(context, json => Write(json, runtime)));

    private static void Write(Utf8JsonWriter json, SwitchboardRuntime runtime)
    {
        var options = runtime.Options;
        json.WriteStartObject();
        json.WriteStartArray("routes");
        foreach (var (name, route) in options.Routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("strategy", route.Strategy);
            json.WriteString("mode", route.Mode);
            if (route.Timeout is { } timeout) json.WriteNumber("timeout_ms", (long)timeout.TotalMilliseconds);
            json.WriteStartArray("targets");
            foreach (var target in route.Targets)
            {
                json.WriteStartObject();
                Target(json, runtime, target.Target);
                json.WriteNumber("weight", target.Weight);
                if (target.Percent > 0) json.WriteNumber("percent", target.Percent);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("rules");
            foreach (var rule in route.Rules)
            {
                json.WriteStartObject();
                json.WriteString("when", rule.When);
                Target(json, runtime, rule.Target);
                json.WriteString("reason", rule.Reason);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("tiers");
            foreach (var tier in route.Tiers)
            {
                json.WriteStartObject();
                if (tier.Below is { } below) json.WriteNumber("below", below);
                else json.WriteNull("below");
                Target(json, runtime, tier.Target);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (route.Default is { } fallback)
            {
                json.WriteStartObject("default");
                Target(json, runtime, fallback);
                json.WriteEndObject();
            }
            json.WriteStartArray("fallbacks");
            foreach (var target in route.Fallbacks) TargetObject(json, runtime, target);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("agents");
        foreach (var (name, targets) in options.Agents.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartArray("targets");
            foreach (var target in targets) TargetObject(json, runtime, target);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("workflows");
        foreach (var (name, workflow) in options.Workflows.OrderBy(w => w.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartArray("stages");
            foreach (var (stage, target) in workflow.Stages)
            {
                json.WriteStartObject();
                json.WriteString("stage", stage);
                Target(json, runtime, target);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartObject("aliases");
        foreach (var (alias, target) in options.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal)) json.WriteString(alias, target);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void TargetObject(Utf8JsonWriter json, SwitchboardRuntime runtime, string target)
    {
        json.WriteStartObject();
        Target(json, runtime, target);
        json.WriteEndObject();
    }

    /// <summary>The target as written, then where it leads: another routing name, or a provider and model (null when neither).</summary>
    private static void Target(Utf8JsonWriter json, SwitchboardRuntime runtime, string target)
    {
        var options = runtime.Options;
        json.WriteString("target", target);
        if (options.Routes.ContainsKey(target) || options.Agents.ContainsKey(target) || options.Workflows.ContainsKey(target))
        {
            json.WriteString("kind", "route");
            json.WriteNull("provider");
            json.WriteNull("model");
            return;
        }
        try
        {
            var resolution = runtime.Resolver.Resolve(target);
            json.WriteString("kind", "model");
            json.WriteString("provider", resolution.Provider.Name);
            json.WriteString("model", resolution.Model);
        }
        catch (SwitchboardException)
        {
            json.WriteString("kind", "unknown");
            json.WriteNull("provider");
            json.WriteNull("model");
        }
    }
}
