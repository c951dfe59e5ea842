using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Gateway.Execution;

namespace Switchboard.Gateway.Workflows;

/// <summary>
/// Runs the stages of a configured workflow in order through <see cref="GatewayChat"/>: the first stage gets the
/// input, each later stage the previous stage's output and the input. Each request asks for the workflow by name with
/// its stage in the metadata, so the stage's configured model, its fallbacks and the usage log's stage all apply.
/// </summary>
internal sealed class WorkflowRunner(GatewayChat chat)
{
    /// <summary>The error code of a workflow name the config does not have.</summary>
    public const string UnknownWorkflow = "unknown_workflow";

    /// <summary>A workflow as the config writes it, for messages that say how to add one.</summary>
    public const string Example = "workflows: { standard: { plan: claude-haiku-4-5, implement: claude-sonnet-4-5, review: gpt-4.1 } }";

    /// <summary>The workflow called <paramref name="name"/>; a 404 naming the workflows there are (and the nearest) when there is none.</summary>
    public WorkflowOptions Find(string name)
    {
        var workflows = chat.Runtime.Options.Workflows;
        if (workflows.TryGetValue(name, out var workflow)) return workflow;
        var message = workflows.Count == 0
            ? $"There is no workflow '{name}': the config has no workflows. Add one, such as {Example}."
            : $"There is no workflow '{name}'{(Spelling.Closest(name, workflows.Keys, Math.Max(2, name.Length / 3)) is { } near ? $" (did you mean '{near}'?)" : "")}. Workflows: {string.Join(", ", workflows.Keys.Order(StringComparer.Ordinal))}.";
        throw new SwitchboardException(ErrorCategory.NotFound, 404, message, "workflow", UnknownWorkflow);
    }

    /// <summary>Runs every stage of <paramref name="workflow"/> on <paramref name="input"/>, stopping at the first that fails.</summary>
    public async Task<WorkflowResult> RunAsync(WorkflowOptions workflow, string input, CancellationToken cancellationToken)
    {
        var started = chat.Runtime.Time.GetTimestamp();
        var stages = new List<StageResult>();
        StageResult? previous = null;
        foreach (var (stage, _) in workflow.Stages)
        {
            var outcome = await chat.CompleteAsync(Body(workflow, stage, input, previous), cancellationToken);
            previous = new StageResult(stage, outcome);
            stages.Add(previous);
            if (outcome.Error is not null) break;
        }
        return new WorkflowResult(workflow.Name, stages, chat.Runtime.Time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The system prompt of a stage: its configured <c>prompt</c>, or one naming the stage and where it sits.</summary>
    public static string SystemPrompt(WorkflowOptions workflow, string stage) =>
        workflow.Prompts.TryGetValue(stage, out var prompt)
            ? prompt
            : $"You are the {stage} stage of the workflow {workflow.Name} ({string.Join(" → ", workflow.Stages.Select(s => s.Key))}). " +
              $"Do the {stage} stage's work on what you are given and answer with its result only; the next stage reads your answer.";

    /// <summary>What a stage is asked: the input for the first; the previous stage's output, then the input, each under a label, for the rest.</summary>
    public static string Prompt(string input, StageResult? previous)
    {
        if (previous is null) return input;
        return new StringBuilder()
            .Append("## Output of the ").Append(previous.Stage).Append(" stage\n\n").Append(previous.Outcome.Text.TrimEnd()).Append("\n\n")
            .Append("## Original input\n\n").Append(input)
            .ToString();
    }

    private static byte[] Body(WorkflowOptions workflow, string stage, string input, StageResult? previous) =>
        JsonSerializer.SerializeToUtf8Bytes(new ChatRequest
        {
            Model = workflow.Name,
            Messages = [ChatMessage.System(SystemPrompt(workflow, stage)), ChatMessage.User(Prompt(input, previous))],
            Metadata = new Dictionary<string, JsonElement>
            {
                ["stage"] = JsonSerializer.SerializeToElement(stage, ChatJsonContext.Default.String),
            },
        }, ChatJsonContext.Default.ChatRequest);
}
