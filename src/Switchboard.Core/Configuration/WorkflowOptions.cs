namespace Switchboard.Configuration;

/// <summary>One entry of <c>workflows:</c>: its stages in order, each with the model (or route) that does it.</summary>
public sealed record WorkflowOptions(string Name, IReadOnlyList<KeyValuePair<string, string>> Stages);
