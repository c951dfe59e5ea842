using Switchboard.Gateway.Execution;

namespace Switchboard.Gateway.Compare;

/// <summary>One model's part of a comparison: the name asked for and how its request ended.</summary>
internal sealed record ModelAnswer(string Requested, ChatOutcome Outcome);
