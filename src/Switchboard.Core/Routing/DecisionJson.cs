using System.Text.Json;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>A routing decision as JSON, as <c>POST /v1/route/explain</c> returns it and <c>switchboard route --explain --json</c> prints it.</summary>
public static class DecisionJson
{
    public static void Write(Utf8JsonWriter json, RoutingDecision decision, DeploymentRegistry deployments, TimeSpan defaultTimeout)
    {
        json.WriteStartObject();
        json.WriteString("requested", decision.Requested);
        json.WriteString("route", decision.Route);
        json.WriteString("rule", decision.Rule);
        if (decision.EstimatedTokens is { } tokens) json.WriteNumber("estimated_tokens", tokens);
        if (decision.Complexity is { } complexity)
        {
            json.WriteNumber("complexity", complexity);
            json.WriteStartArray("complexity_reasons");
            foreach (var reason in decision.ComplexityReasons) json.WriteStringValue(reason);
            json.WriteEndArray();
        }
        json.WriteStartArray("candidates");
        foreach (var candidate in decision.Candidates)
        {
            var target = candidate.Target;
            var deployment = deployments.Find(target.Provider.Name, target.Model);
            json.WriteStartObject();
            json.WriteString("provider", target.Provider.Name);
            json.WriteString("model", target.Model);
            json.WriteString("reason", candidate.Reason);
            json.WriteString("circuit", deployment?.Circuit ?? "closed");
            json.WriteString("provider_status", deployments.Status(target.Provider.Name));
            json.WriteNumber("timeout_ms", (long)(candidate.Timeout ?? defaultTimeout).TotalMilliseconds);
            if (target.CatalogModel is { } model)
            {
                if (model.ContextWindow is { } window) json.WriteNumber("context_window", window);
                if (model.InputPerMtok is { } input) json.WriteNumber("input_per_mtok", input);
                if (model.OutputPerMtok is { } output) json.WriteNumber("output_per_mtok", output);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("skipped");
        foreach (var skipped in decision.Skipped)
        {
            json.WriteStartObject();
            json.WriteString("target", skipped.Target);
            json.WriteString("reason", skipped.Reason);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
