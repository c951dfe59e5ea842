using System.Globalization;

namespace Switchboard.Routing.Rules;

/// <summary>
/// A value met while evaluating a condition. A struct holding the context's own strings and lists by
/// reference, so reading a field and comparing it neither boxes nor allocates.
/// </summary>
internal readonly struct RuleValue
{
    // The string of a Text; the IReadOnlyList<string> (labels) or RuleValue[] (a literal list) of a List.
    private readonly object? _reference;

    private RuleValue(RuleValueKind kind, double number, object? reference) => (Kind, Number, _reference) = (kind, number, reference);

    /// <summary>A missing value: <c>default</c> is one.</summary>
    public static RuleValue Missing => default;

    public RuleValueKind Kind { get; }

    /// <summary>The number of a Number, or 1 / 0 for a Bool.</summary>
    public double Number { get; }

    public bool IsMissing => Kind == RuleValueKind.Null;

    public bool Bool => Number != 0;

    /// <summary>The string of a Text value; only valid when <see cref="Kind"/> is Text.</summary>
    public string Text => (string)_reference!;

    /// <summary>How many items a List value has; only valid when <see cref="Kind"/> is List.</summary>
    public int Count => _reference is RuleValue[] items ? items.Length : ((IReadOnlyList<string?>)_reference!).Count;

    /// <summary>
    /// Truthiness of a bare value in a boolean position: a bool is itself; a missing value, 0, NaN, empty text
    /// and an empty list are false; anything else is true.
    /// </summary>
    public bool IsTruthy => Kind switch
    {
        RuleValueKind.Bool => Bool,
        RuleValueKind.Number => Number != 0 && !double.IsNaN(Number),
        RuleValueKind.Text => Text.Length > 0,
        RuleValueKind.List => Count > 0,
        _ => false,
    };

    public static RuleValue FromBool(bool value) => new(RuleValueKind.Bool, value ? 1 : 0, null);

    public static RuleValue FromNumber(double value) => new(RuleValueKind.Number, value, null);

    public static RuleValue FromText(string? value) => value is null ? Missing : new(RuleValueKind.Text, 0, value);

    public static RuleValue FromStrings(IReadOnlyList<string?>? values) => values is null ? Missing : new(RuleValueKind.List, 0, values);

    public static RuleValue FromList(RuleValue[] items) => new(RuleValueKind.List, 0, items);

    /// <summary>The item at <paramref name="index"/> of a List value.</summary>
    public RuleValue Item(int index) =>
        _reference is RuleValue[] items ? items[index] : FromText(((IReadOnlyList<string?>)_reference!)[index]);

    /// <summary>
    /// Whether two values are the same: same kind and same content (ordinal for text, item by item for lists).
    /// A number is never the same as text or a bool: there are no conversions.
    /// </summary>
    public bool SameAs(RuleValue other)
    {
        if (Kind != other.Kind) return false;
        switch (Kind)
        {
            case RuleValueKind.Null:
                return true;
            case RuleValueKind.Bool:
            case RuleValueKind.Number:
                return Number == other.Number;
            case RuleValueKind.Text:
                return string.Equals(Text, other.Text, StringComparison.Ordinal);
            default:
                var count = Count;
                if (count != other.Count) return false;
                for (var i = 0; i < count; i++)
                    if (!Item(i).SameAs(other.Item(i))) return false;
                return true;
        }
    }

    /// <summary>Whether a List value has an item the same as <paramref name="value"/>.</summary>
    public bool HasItem(RuleValue value)
    {
        var count = Count;
        for (var i = 0; i < count; i++)
            if (Item(i).SameAs(value)) return true;
        return false;
    }

    /// <summary>The value in words, for error messages about literals.</summary>
    public string Describe() => Kind switch
    {
        RuleValueKind.Null => "null",
        RuleValueKind.Bool => Bool ? "true" : "false",
        RuleValueKind.Number => "the number " + Number.ToString(CultureInfo.InvariantCulture),
        RuleValueKind.Text => "the text '" + (Text.Length > 30 ? Text[..30] + "…" : Text) + "'",
        _ => "a list",
    };
}
