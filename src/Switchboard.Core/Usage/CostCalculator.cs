using Switchboard.Catalog;

namespace Switchboard.Usage;

/// <summary>Prices a request's tokens from the catalog, per token kind.</summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>The cost in USD, or null when the model's input or output price is unknown (never a silent zero).</summary>
    public static decimal? Cost(TokenUsage usage, CatalogModel? model)
    {
        if (model?.InputPerMtok is not { } input || model.OutputPerMtok is not { } output) return null;
        var cachedPrice = model.CachedInputPerMtok ?? input;
        var writePrice = model.CacheWritePerMtok ?? input;
        var reasoningPrice = model.ReasoningPerMtok ?? output;
        var uncached = Math.Max(0, usage.Input - usage.CachedInput - usage.CacheWrite);
        var visibleOutput = Math.Max(0, usage.Output - usage.Reasoning);
        return (uncached * input
            + usage.CachedInput * cachedPrice
            + usage.CacheWrite * writePrice
            + visibleOutput * output
            + usage.Reasoning * reasoningPrice) / PerMillion;
    }
}
