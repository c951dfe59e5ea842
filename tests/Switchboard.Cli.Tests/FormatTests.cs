using Shouldly;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class FormatTests
{
    [Theory]
    [InlineData("0.00000855", "$0.00000855")]
    [InlineData("0.5", "$0.50")]
    [InlineData("12.3456", "$12.3456")]
    [InlineData("0", "$0")]
    public void Cost_keeps_enough_digits_that_a_small_cost_is_not_zero(string dollars, string shown) =>
        Format.Cost(decimal.Parse(dollars, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(shown);

    [Fact]
    public void An_unknown_price_is_a_dash_and_a_zero_price_is_zero()
    {
        Format.Price(null).ShouldBe("—");
        Format.Price(0m).ShouldBe("0");
        Format.Price(0.0375m).ShouldBe("0.0375");
    }
}
