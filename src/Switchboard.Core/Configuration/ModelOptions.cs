namespace Switchboard.Configuration;

/// <summary>One entry of the <c>models:</c> section: adds a model to the catalog or overrides what it knows.</summary>
public sealed record ModelOptions
{
    /// <summary><c>provider/model</c>, or a bare name Switchboard can place.</summary>
    public required string Name { get; init; }

    public string? Provider { get; init; }

    public decimal? InputPerMtok { get; init; }

    public decimal? OutputPerMtok { get; init; }

    public decimal? CachedInputPerMtok { get; init; }

    public decimal? CacheWritePerMtok { get; init; }

    public decimal? ReasoningPerMtok { get; init; }

    public int? ContextWindow { get; init; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>Capabilities and labels (<c>tools</c>, <c>vision</c>, <c>cheap</c>, <c>code</c>, ...).</summary>
    public IReadOnlyList<string>? Capabilities { get; init; }

    /// <summary>Parameters added to a request for this model when the client does not send them, as raw JSON values.</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides the top-level <c>drop_unsupported</c> for this model.</summary>
    public bool? DropUnsupported { get; init; }

    /// <summary>This model's time to first byte per attempt, over <see cref="ResilienceOptions.Timeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}
