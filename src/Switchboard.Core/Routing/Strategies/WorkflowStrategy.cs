using Switchboard.Configuration;

namespace Switchboard.Routing.Strategies;

/// <summary>The model of the request's <c>stage</c> in a workflow; a stage the workflow lacks is the client's mistake, named with the stages it has.</summary>
internal sealed class WorkflowStrategy(WorkflowOptions workflow) : RouteStrategy
{
    public override string Name => "workflow";

    public override void Order(RouteSelection selection, List<RouteStep> steps)
    {
        var stage = selection.Context.Stage;
        foreach (var (name, target) in workflow.Stages)
        {
            if (!string.Equals(name, stage, StringComparison.OrdinalIgnoreCase)) continue;
            selection.Rule = $"workflow {workflow.Name}, stage {name}";
            steps.Add(new(target, $"stage {name} of workflow {workflow.Name}"));
            return;
        }
        var stages = string.Join(", ", workflow.Stages.Select(s => s.Key));
        throw SwitchboardException.BadRequest(stage is null
            ? $"Workflow {workflow.Name} needs a stage: send x-switchboard-stage (or metadata.stage) as one of: {stages}."
            : $"Workflow {workflow.Name} has no stage '{stage}'. Its stages are: {stages}.", "stage", "unknown_stage");
    }
}
