using System.Text.Json.Serialization;

namespace Switchboard.Catalog;

/// <summary>One model the catalog knows: where it runs, its limits, its prices per million tokens and what it can do.</summary>
public sealed record CatalogModel
{
    /// <summary>The id the provider's API expects.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }

    /// <summary>The provider (or provider kind) that serves it.</summary>
    [JsonPropertyName("provider")] public required string Provider { get; init; }

    [JsonPropertyName("context_window")] public int? ContextWindow { get; init; }

    [JsonPropertyName("max_output_tokens")] public int? MaxOutputTokens { get; init; }

    [JsonPropertyName("input_per_mtok")] public decimal? InputPerMtok { get; init; }

    [JsonPropertyName("output_per_mtok")] public decimal? OutputPerMtok { get; init; }

    [JsonPropertyName("cached_input_per_mtok")] public decimal? CachedInputPerMtok { get; init; }

    [JsonPropertyName("cache_write_per_mtok")] public decimal? CacheWritePerMtok { get; init; }

    [JsonPropertyName("reasoning_per_mtok")] public decimal? ReasoningPerMtok { get; init; }

    /// <summary><c>tools</c>, <c>vision</c>, <c>json_mode</c>, <c>reasoning</c>, <c>streaming</c>, <c>temperature</c>, and any label from config.</summary>
    [JsonPropertyName("capabilities")] public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>Parameters added when the client does not send them, as raw JSON values (from config).</summary>
    [JsonIgnore] public IReadOnlyDictionary<string, string> Defaults { get; init; } = new Dictionary<string, string>();

    /// <summary>This model's own <c>drop_unsupported</c>, when config sets one.</summary>
    [JsonIgnore] public bool? DropUnsupported { get; init; }

    /// <summary>This model's own time to first byte per attempt, when config sets one.</summary>
    [JsonIgnore] public TimeSpan? Timeout { get; init; }

    /// <summary>True when the price of input and output is known, so a cost can be computed.</summary>
    [JsonIgnore] public bool HasPrice => InputPerMtok is not null && OutputPerMtok is not null;

    public bool Has(string capability) => Capabilities.Contains(capability, StringComparer.OrdinalIgnoreCase);
}
