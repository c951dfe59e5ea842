using Shouldly;
using Switchboard.Catalog;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Usage;

public sealed class CostCalculatorTests
{
    private static readonly CatalogModel Priced = new()
    {
        Id = "m",
        Provider = "openai",
        InputPerMtok = 2.00m,
        OutputPerMtok = 8.00m,
        CachedInputPerMtok = 0.50m,
        CacheWritePerMtok = 2.50m,
    };

    [Fact]
    public void Each_token_kind_is_priced_at_its_own_rate()
    {
        // 1,000 prompt tokens of which 400 cached; 500 output of which 200 reasoning (billed as output).
        var cost = CostCalculator.Cost(new TokenUsage(1000, 500, CachedInput: 400, Reasoning: 200), Priced);

        // 600 × 2.00 + 400 × 0.50 + 500 × 8.00 = 1,200 + 200 + 4,000 = 5,400 per million.
        cost.ShouldBe(0.0054m);
    }

    [Fact]
    public void Cache_writes_and_separately_billed_reasoning_use_their_prices()
    {
        var model = Priced with { ReasoningPerMtok = 10.00m };

        var cost = CostCalculator.Cost(new TokenUsage(1000, 500, CachedInput: 100, CacheWrite: 300, Reasoning: 200), model);

        // 600 × 2.00 + 100 × 0.50 + 300 × 2.50 + 300 × 8.00 + 200 × 10.00 = 1,200 + 50 + 750 + 2,400 + 2,000 = 6,400.
        cost.ShouldBe(0.0064m);
    }

    [Fact]
    public void An_unknown_price_is_an_unknown_cost_never_zero()
    {
        CostCalculator.Cost(new TokenUsage(10, 10), null).ShouldBeNull();
        CostCalculator.Cost(new TokenUsage(10, 10), Priced with { OutputPerMtok = null }).ShouldBeNull();
    }

    [Fact]
    public void Shipped_catalog_prices_the_models_it_lists()
    {
        using var runtime = TestRuntime.Create();

        var model = runtime.Resolver.Resolve("gpt-4o-mini").CatalogModel.ShouldNotBeNull();

        model.HasPrice.ShouldBeTrue();
        runtime.Catalog.Models.Count.ShouldBeGreaterThanOrEqualTo(150);
        runtime.Catalog.PricesTaken.ShouldNotBeNullOrWhiteSpace();
    }
}
