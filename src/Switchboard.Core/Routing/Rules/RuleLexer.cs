using System.Globalization;
using System.Text;

namespace Switchboard.Routing.Rules;

/// <summary>
/// Splits a condition into tokens. Hand-written rather than regex-based so every mistake is reported at its
/// own column with a sentence saying what to write instead.
/// </summary>
internal static class RuleLexer
{
    /// <summary>The tokens of <paramref name="text"/>, always ending with an <see cref="RuleTokenKind.End"/> token at its length.</summary>
    public static List<RuleToken> Tokenize(string text)
    {
        var tokens = new List<RuleToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var token = c switch
            {
                '\'' or '"' => ReadText(text, i),
                >= '0' and <= '9' => ReadNumber(text, i),
                _ when IsNameStart(c) => ReadName(text, i),
                _ => ReadSymbol(text, i),
            };
            tokens.Add(token);
            i = token.End;
        }
        tokens.Add(new RuleToken(RuleTokenKind.End, text.Length, 0));
        return tokens;
    }

    private static RuleToken ReadSymbol(string text, int i)
    {
        var c = text[i];
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        return (c, next) switch
        {
            ('=', '=') => new RuleToken(RuleTokenKind.Equal, i, 2),
            ('!', '=') => new RuleToken(RuleTokenKind.NotEqual, i, 2),
            ('<', '=') => new RuleToken(RuleTokenKind.LessOrEqual, i, 2),
            ('>', '=') => new RuleToken(RuleTokenKind.GreaterOrEqual, i, 2),
            ('&', '&') => new RuleToken(RuleTokenKind.And, i, 2),
            ('|', '|') => new RuleToken(RuleTokenKind.Or, i, 2),
            ('<', '>') => throw new RuleSyntaxException(i + 1, "'<>' is not an operator; use '!=' for 'not equal'"),
            ('=', '<') => throw new RuleSyntaxException(i + 1, "'=<' is not an operator; use '<='"),
            ('=', '>') => throw new RuleSyntaxException(i + 1, "'=>' is not an operator; use '>='"),
            ('=', _) => throw new RuleSyntaxException(i + 1, "'=' is not an operator; use '==' to compare"),
            ('&', _) => throw new RuleSyntaxException(i + 1, "'&' is not an operator; use 'and' (or '&&')"),
            ('|', _) => throw new RuleSyntaxException(i + 1, "'|' is not an operator; use 'or' (or '||')"),
            ('+' or '*' or '/' or '%', _) => throw new RuleSyntaxException(i + 1, $"'{c}' is not an operator; conditions compare values but do no arithmetic"),
            ('<', _) => new RuleToken(RuleTokenKind.Less, i, 1),
            ('>', _) => new RuleToken(RuleTokenKind.Greater, i, 1),
            ('!', _) => new RuleToken(RuleTokenKind.Not, i, 1),
            ('-', _) => new RuleToken(RuleTokenKind.Minus, i, 1),
            ('(', _) => new RuleToken(RuleTokenKind.OpenParen, i, 1),
            (')', _) => new RuleToken(RuleTokenKind.CloseParen, i, 1),
            ('[', _) => new RuleToken(RuleTokenKind.OpenBracket, i, 1),
            (']', _) => new RuleToken(RuleTokenKind.CloseBracket, i, 1),
            (',', _) => new RuleToken(RuleTokenKind.Comma, i, 1),
            _ => throw new RuleSyntaxException(i + 1, $"unexpected character {Describe(text, i)}; text must be in quotes, as in 'abc'"),
        };
    }

    private static RuleToken ReadText(string text, int start)
    {
        var quote = text[start];
        StringBuilder? escaped = null;
        var runStart = start + 1;
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == quote)
            {
                var value = escaped is null ? text[runStart..i] : escaped.Append(text, runStart, i - runStart).ToString();
                return new RuleToken(RuleTokenKind.Text, start, i + 1 - start, Text: value);
            }
            if (c != '\\') continue;

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (next is not ('\'' or '"' or '\\'))
            {
                var shown = i + 1 < text.Length ? Describe(text, i + 1) : "the end";
                throw new RuleSyntaxException(i + 1, $"a backslash in a string must be followed by \\' or \\\" or \\\\, not {shown}");
            }
            escaped ??= new StringBuilder();
            escaped.Append(text, runStart, i - runStart).Append(next);
            i++;
            runStart = i + 1;
        }
        throw new RuleSyntaxException(start + 1, $"the string that starts here is never closed; end it with {quote}");
    }

    private static RuleToken ReadNumber(string text, int start)
    {
        var i = SkipDigits(text, start);
        if (i < text.Length && text[i] == '.')
        {
            var fraction = SkipDigits(text, i + 1);
            if (fraction == i + 1)
                throw new RuleSyntaxException(start + 1, $"'{text[start..(i + 1)]}' is not a number; write digits after the point, as in 1.5");
            i = fraction;
        }
        // `10k`, `1e3` or `1.2.3` would otherwise lex as a number followed by a name, and fail later with a vaguer message.
        if (i < text.Length && (IsNamePart(text[i]) || char.IsDigit(text[i]) || text[i] == '.'))
        {
            var end = i;
            while (end < text.Length && (IsNamePart(text[end]) || text[end] == '.')) end++;
            throw new RuleSyntaxException(start + 1, $"'{text[start..end]}' is not a number; write plain digits, as in 8000 or 0.5");
        }
        var value = double.Parse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return new RuleToken(RuleTokenKind.Number, start, i - start, Number: value);
    }

    private static RuleToken ReadName(string text, int start)
    {
        var i = start + 1;
        // A dash or dot inside a word is read as part of it, so `retry-count` or an unquoted `gpt-4o.mini` is
        // reported as one unknown name (with a suggestion, or a hint to quote it) rather than as a stray minus.
        while (i < text.Length && (IsNamePart(text[i]) || (text[i] is '-' or '.' && i + 1 < text.Length && IsNamePart(text[i + 1])))) i++;
        var length = i - start;
        var kind = Keyword(text.AsSpan(start, length));
        return new RuleToken(kind, start, length);
    }

    private static RuleTokenKind Keyword(ReadOnlySpan<char> word) => word.Length switch
    {
        2 when word.Equals("or", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.Or,
        2 when word.Equals("in", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.In,
        3 when word.Equals("and", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.And,
        3 when word.Equals("not", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.Not,
        4 when word.Equals("true", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.True,
        4 when word.Equals("null", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.Null,
        5 when word.Equals("false", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.False,
        8 when word.Equals("contains", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.Contains,
        9 when word.Equals("ends_with", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.EndsWith,
        11 when word.Equals("starts_with", StringComparison.OrdinalIgnoreCase) => RuleTokenKind.StartsWith,
        _ => RuleTokenKind.Name,
    };

    private static int SkipDigits(string text, int i)
    {
        while (i < text.Length && text[i] is >= '0' and <= '9') i++;
        return i;
    }

    private static bool IsNameStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsNamePart(char c) => IsNameStart(c) || c is >= '0' and <= '9';

    /// <summary>A character for an error message, in quotes, or as its code point when it would not print.</summary>
    private static string Describe(string text, int i)
    {
        var c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) return $"'{text.Substring(i, 2)}'";
        return char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
    }
}
