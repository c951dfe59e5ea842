namespace Switchboard.Usage;

/// <summary>
/// What one request through the gateway used and cost: the row the usage log keeps. The gateway produces
/// it; the store only writes and aggregates it, so it lives here, free of any database.
/// </summary>
/// <remarks>
/// Token counts follow <see cref="TokenUsage"/>: <see cref="InputTokens"/> is the whole prompt, cached
/// reads and cache writes included, and <see cref="OutputTokens"/> the whole completion, reasoning included.
/// </remarks>
public sealed record UsageRecord
{
    /// <summary>
    /// Unique id of the record. A retried write of the same record is ignored by its id, so the id must be set
    /// once, when the record is made; <c>Guid.CreateVersion7(time)</c> keeps the store's index in time order.
    /// </summary>
    public required Guid Id { get; init; }

    /// <summary>The request's own id (<c>x-switchboard-id</c> or the client's), to find the request in logs.</summary>
    public string? RequestId { get; init; }

    /// <summary>When the request arrived. Stored to the millisecond.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The id of the virtual key that made the request; never the key itself. Null without one.</summary>
    public string? KeyId { get; init; }

    /// <summary>The end user the client named (OpenAI's <c>user</c>, Anthropic's <c>metadata.user_id</c>).</summary>
    public string? User { get; init; }

    /// <summary>The provider that answered (or the last one tried); null when none was chosen.</summary>
    public string? Provider { get; init; }

    /// <summary>The concrete model that answered (or the last one tried); null when none was chosen.</summary>
    public string? Model { get; init; }

    /// <summary>The route the request named, when it named one.</summary>
    public string? Route { get; init; }

    /// <summary>The routing rule that chose the deployment, when one did.</summary>
    public string? Rule { get; init; }

    /// <summary>The agent the request came from (<c>x-switchboard-agent</c>).</summary>
    public string? Agent { get; init; }

    /// <summary>The workflow stage (<c>x-switchboard-stage</c>).</summary>
    public string? Stage { get; init; }

    /// <summary>Free labels from the request (<c>x-switchboard-labels</c>).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Prompt tokens, cached reads and cache writes included.</summary>
    public int InputTokens { get; init; }

    /// <summary>Prompt tokens read from the provider's cache.</summary>
    public int CachedInputTokens { get; init; }

    /// <summary>Prompt tokens written to the provider's cache.</summary>
    public int CacheWriteTokens { get; init; }

    /// <summary>Completion tokens, reasoning included.</summary>
    public int OutputTokens { get; init; }

    /// <summary>Reasoning tokens within <see cref="OutputTokens"/>.</summary>
    public int ReasoningTokens { get; init; }

    /// <summary>
    /// The cost in USD, or null when the model's price is unknown. Unknown is never written as zero: reports
    /// count such requests apart so a missing price cannot pass for a free request.
    /// </summary>
    public decimal? CostUsd { get; init; }

    /// <summary>True when the upstream sent no usage and the token counts are the gateway's estimate.</summary>
    public bool UsageEstimated { get; init; }

    /// <summary>Time from the request's arrival to its last byte, in milliseconds.</summary>
    public double LatencyMs { get; init; }

    /// <summary>Time to the first streamed token, in milliseconds; null for a request that did not stream.</summary>
    public double? TimeToFirstTokenMs { get; init; }

    /// <summary>How many upstream calls the request made (retries and fallbacks included).</summary>
    public int Attempts { get; init; }

    /// <summary>The HTTP status the client got.</summary>
    public int Status { get; init; }

    /// <summary>The error category (a <see cref="Switchboard.ErrorCategory"/> name) when the request failed.</summary>
    public string? ErrorCategory { get; init; }
}
