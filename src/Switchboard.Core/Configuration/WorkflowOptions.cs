namespace Switchboard.Configuration;

/// <summary>One entry of <c>workflows:</c>: its stages in order, each with the model (or route) that does it.</summary>
public sealed record WorkflowOptions(string Name, IReadOnlyList<KeyValuePair<string, string>> Stages)
{
    /// <summary>
    /// The system prompt of each stage that has one (the long form <c>plan: { model: ..., prompt: ... }</c>), by stage
    /// name; a stage without one gets a default naming the stage when the workflow is run.
    /// </summary>
    public IReadOnlyDictionary<string, string> Prompts { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}
