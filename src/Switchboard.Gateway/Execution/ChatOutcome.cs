using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Gateway.Execution;

/// <summary>
/// How a chat request the gateway made for its own work ended: the answer (or the error), the deployment that gave
/// it, the tokens, the cost and the time, as the usage log recorded them.
/// </summary>
internal sealed record ChatOutcome
{
    /// <summary>The answer in the OpenAI shape; null when the request failed.</summary>
    public ChatResponse? Response { get; init; }

    /// <summary>Why the request failed; null when it succeeded.</summary>
    public SwitchboardException? Error { get; init; }

    /// <summary>The provider that answered (or the last one tried).</summary>
    public string? Provider { get; init; }

    /// <summary>The concrete model that answered (or the last one tried).</summary>
    public string? Model { get; init; }

    public string? Route { get; init; }

    public string? Rule { get; init; }

    public TokenUsage? Usage { get; init; }

    /// <summary>True when the provider sent no usage and <see cref="Usage"/> is the gateway's estimate.</summary>
    public bool UsageEstimated { get; init; }

    /// <summary>The cost in USD; null when the model's price is unknown.</summary>
    public decimal? CostUsd { get; init; }

    public double LatencyMs { get; init; }

    /// <summary>Every upstream call made, as in <c>x-switchboard-attempts</c>.</summary>
    public string Attempts { get; init; } = "";

    /// <summary>The text of the first choice; empty when there is none.</summary>
    public string Text => Response?.Choices is [var first, ..] ? first.Message?.Content?.AllText() ?? "" : "";
}
