using System.Text.Json;
using Switchboard.Gateway.Execution;

namespace Switchboard.Gateway.Workflows;

/// <summary>
/// A workflow run as JSON (<c>switchboard workflow run --json</c>): <c>{"object": "workflow_run", "workflow", "total_ms",
/// "stages": [...], "output", "cost_usd"}</c>, each stage with its name and its request's outcome.
/// </summary>
internal static class WorkflowJson
{
    public static void Write(Utf8JsonWriter json, WorkflowResult run)
    {
        json.WriteStartObject();
        json.WriteString("object", "workflow_run");
        json.WriteString("workflow", run.Workflow);
        json.WriteNumber("total_ms", Math.Round(run.TotalMs, 1));
        json.WriteStartArray("stages");
        foreach (var stage in run.Stages)
        {
            json.WriteStartObject();
            json.WriteString("stage", stage.Stage);
            ChatOutcomeJson.WriteFields(json, stage.Outcome);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (run.Failed is null) json.WriteString("output", run.Output);
        else json.WriteNull("output");
        if (run.CostUsd is { } cost) json.WriteNumber("cost_usd", cost);
        else json.WriteNull("cost_usd");
        json.WriteEndObject();
    }
}
