namespace Switchboard.Routing.Rules;

/// <summary>
/// A binary test. The rules, chosen so a condition never throws and a missing or mistyped value never
/// matches by accident:
/// <list type="bullet">
/// <item>A missing value on either side makes every test false (<c>== null</c> / <c>!= null</c> are <see cref="MissingTestNode"/>).</item>
/// <item><c>==</c> is true for the same kind and content (ordinal text, item-by-item lists); <c>!=</c> is its opposite,
/// so a number is <c>!=</c> any text.</item>
/// <item><c>&lt;</c> and friends order two numbers or two texts (ordinal); anything else is false.</item>
/// <item><c>in</c> / <c>contains</c>: an item of a list, or a substring of a text (ordinal); anything else is false.</item>
/// <item><c>starts_with</c> / <c>ends_with</c>: two texts, ordinal; anything else is false.</item>
/// </list>
/// </summary>
internal sealed class ComparisonNode(RuleOperator op, RuleNode left, RuleNode right) : BooleanNode
{
    public override bool IsTrue(RoutingContext context)
    {
        var a = left.Evaluate(context);
        if (a.IsMissing) return false;
        var b = right.Evaluate(context);
        if (b.IsMissing) return false;

        return op switch
        {
            RuleOperator.Equal => a.SameAs(b),
            RuleOperator.NotEqual => !a.SameAs(b),
            RuleOperator.Less => Order(a, b) is { } o && o < 0,
            RuleOperator.LessOrEqual => Order(a, b) is { } o && o <= 0,
            RuleOperator.Greater => Order(a, b) is { } o && o > 0,
            RuleOperator.GreaterOrEqual => Order(a, b) is { } o && o >= 0,
            RuleOperator.In => Holds(b, a),
            RuleOperator.Contains => Holds(a, b),
            RuleOperator.StartsWith => a.Kind == RuleValueKind.Text && b.Kind == RuleValueKind.Text && a.Text.StartsWith(b.Text, StringComparison.Ordinal),
            RuleOperator.EndsWith => a.Kind == RuleValueKind.Text && b.Kind == RuleValueKind.Text && a.Text.EndsWith(b.Text, StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>-1, 0 or 1 for two numbers or two texts; null when they cannot be ordered (other kinds, or NaN).</summary>
    private static int? Order(RuleValue a, RuleValue b)
    {
        if (a.Kind == RuleValueKind.Number && b.Kind == RuleValueKind.Number)
            return a.Number < b.Number ? -1 : a.Number > b.Number ? 1 : a.Number == b.Number ? 0 : null;
        if (a.Kind == RuleValueKind.Text && b.Kind == RuleValueKind.Text)
            return string.CompareOrdinal(a.Text, b.Text);
        return null;
    }

    /// <summary>Whether <paramref name="container"/> (a list or a text) holds <paramref name="item"/> (an item, or a substring).</summary>
    private static bool Holds(RuleValue container, RuleValue item) => container.Kind switch
    {
        RuleValueKind.List => container.HasItem(item),
        RuleValueKind.Text => item.Kind == RuleValueKind.Text && container.Text.Contains(item.Text, StringComparison.Ordinal),
        _ => false,
    };
}
