using Switchboard.Gateway.Execution;

namespace Switchboard.Gateway.Workflows;

/// <summary>One stage of a workflow run: its name and how its request ended.</summary>
internal sealed record StageResult(string Stage, ChatOutcome Outcome);
