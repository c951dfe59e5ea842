using Switchboard.Execution;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Usage;

namespace Switchboard.Gateway;

/// <summary>
/// What one chat request used, filled in as it goes (the decision, the deployment that answered, the tokens, the
/// outcome) and turned into its <see cref="UsageRecord"/> when it ends, whatever way it ends.
/// </summary>
internal sealed class RequestUsage(DateTimeOffset arrived, long started)
{
    public RoutingDecision? Decision { get; set; }

    public RoutingMetadata? Fields { get; set; }

    public ModelResolution? Target { get; set; }

    public AttemptLog? Log { get; set; }

    public TokenUsage? Tokens { get; set; }

    /// <summary>True when <see cref="Tokens"/> is the gateway's estimate: the provider sent no usage.</summary>
    public bool Estimated { get; set; }

    /// <summary>When the first streamed bytes went to the client, as a timestamp.</summary>
    public long? FirstByte { get; set; }

    public SwitchboardException? Error { get; set; }

    /// <summary>True once the tokens and cost have been counted against limits and budgets.</summary>
    public bool Charged { get; set; }

    public UsageRecord ToRecord(int status, TimeProvider time, string? keyId)
    {
        var tokens = Tokens ?? default;
        var last = Log?.Attempts is { Count: > 0 } attempts ? attempts[^1] : Error?.AttemptLog?.Attempts is { Count: > 0 } failed ? failed[^1] : null;
        return new UsageRecord
        {
            Id = Guid.CreateVersion7(arrived),
            RequestId = Fields?.Id,
            Time = arrived,
            KeyId = keyId,
            User = Fields?.User,
            Provider = Target?.Provider.Name ?? last?.Provider ?? Error?.Provider,
            Model = Target?.Model ?? last?.Model,
            Route = Decision?.Route,
            Rule = Decision?.Rule,
            Agent = Fields?.Agent,
            Stage = Fields?.Stage,
            Labels = Fields?.Labels ?? [],
            InputTokens = tokens.Input,
            CachedInputTokens = tokens.CachedInput,
            CacheWriteTokens = tokens.CacheWrite,
            OutputTokens = tokens.Output,
            ReasoningTokens = tokens.Reasoning,
            // A request that got no answer used no tokens and cost nothing; an answer from a model with no known price cost an unknown amount.
            CostUsd = Tokens is { } counted ? CostCalculator.Cost(counted, Target?.CatalogModel) : 0m,
            UsageEstimated = Estimated,
            LatencyMs = time.GetElapsedTime(started).TotalMilliseconds,
            TimeToFirstTokenMs = FirstByte is { } first ? time.GetElapsedTime(started, first).TotalMilliseconds : null,
            Attempts = Log?.Count ?? Error?.AttemptLog?.Count ?? Error?.Attempts ?? 0,
            Status = status,
            ErrorCategory = Error?.Category.ToString(),
        };
    }
}
