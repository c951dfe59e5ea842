namespace Switchboard.Routing.Rules;

/// <summary>The kinds of token a condition is made of. Keywords are matched without regard to case.</summary>
internal enum RuleTokenKind : byte
{
    End,
    Number,
    Text,
    Name,

    True,
    False,
    Null,

    And,
    Or,
    Not,

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

    Minus,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Comma,
}
