namespace Switchboard.Routing.Rules;

/// <summary>The binary tests a condition can make between two values.</summary>
internal enum RuleOperator : byte
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    In,
    Contains,
    StartsWith,
    EndsWith,
}
