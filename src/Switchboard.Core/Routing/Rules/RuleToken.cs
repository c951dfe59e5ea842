namespace Switchboard.Routing.Rules;

/// <summary>One token of a condition: where it starts (0-based) and how long it is in the text, so errors can point at it.</summary>
/// <param name="Text">The unescaped value of a string literal; null for every other kind (the source slice says the rest).</param>
internal readonly record struct RuleToken(RuleTokenKind Kind, int Start, int Length, double Number = 0, string? Text = null)
{
    public int Column => Start + 1;

    public int End => Start + Length;
}
