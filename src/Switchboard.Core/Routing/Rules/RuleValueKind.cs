namespace Switchboard.Routing.Rules;

/// <summary>What a <see cref="RuleValue"/> holds. <see cref="Null"/> is a missing value (priority not sent, no agent).</summary>
internal enum RuleValueKind : byte
{
    Null,
    Bool,
    Number,
    Text,
    List,
}
