namespace Switchboard.Routing.Rules;

/// <summary>
/// Recursive descent over the tokens of one condition, lowest precedence first:
/// <code>
/// condition  := or END
/// or         := and (('or' | '||') and)*
/// and        := not (('and' | '&amp;&amp;') not)*
/// not        := ('not' | '!') not | comparison
/// comparison := operand (op operand)?          op: == != &lt; &lt;= &gt; &gt;= in contains starts_with ends_with,
///                                               and 'not' before the last four
/// operand    := number | '-' number | text | true | false | null | list | name | map '[' or ']' | '(' or ')'
/// list       := '[' (literal (',' literal)*)? ']'
/// </code>
/// <c>not</c> takes a whole comparison (<c>not labels contains 'x'</c> is <c>not (labels contains 'x')</c>), as in
/// SQL and Python; binding it tighter would turn that into a test of <c>(not labels)</c> that is always false.
/// </summary>
internal sealed class RuleParser
{
    // Deep enough for any real condition, shallow enough that recursion (here and in evaluation) cannot
    // overflow the stack, which would kill the process rather than throw.
    private const int MaxDepth = 64;

    private readonly string _text;
    private readonly List<RuleToken> _tokens;
    private int _position;
    private int _depth;

    private RuleParser(string text, List<RuleToken> tokens) => (_text, _tokens) = (text, tokens);

    /// <summary>The tree of <paramref name="text"/>; throws <see cref="RuleSyntaxException"/> on any mistake.</summary>
    public static RuleNode Parse(string text)
    {
        var tokens = RuleLexer.Tokenize(text);
        if (tokens.Count == 1) throw new RuleSyntaxException(1, "the condition is empty; write a test such as priority == 0");

        var parser = new RuleParser(text, tokens);
        var root = parser.ParseOr();
        var next = parser.Peek;
        if (next.Kind != RuleTokenKind.End)
            throw parser.Unexpected(next, $"unexpected {parser.Show(next)} after a complete test; join tests with 'and' or 'or'");
        return root;
    }

    private RuleToken Peek => _tokens[_position];

    private RuleToken PeekAfter => _tokens[Math.Min(_position + 1, _tokens.Count - 1)];

    private RuleToken Take()
    {
        var token = _tokens[_position];
        if (token.Kind != RuleTokenKind.End) _position++;
        return token;
    }

    private RuleNode ParseOr()
    {
        Enter();
        var first = ParseAnd();
        if (Peek.Kind != RuleTokenKind.Or)
        {
            _depth--;
            return first;
        }
        var parts = new List<RuleNode> { first };
        while (Peek.Kind == RuleTokenKind.Or)
        {
            Take();
            parts.Add(ParseAnd());
        }
        _depth--;
        return new AnyNode([.. parts]);
    }

    private RuleNode ParseAnd()
    {
        var first = ParseNot();
        if (Peek.Kind != RuleTokenKind.And) return first;
        var parts = new List<RuleNode> { first };
        while (Peek.Kind == RuleTokenKind.And)
        {
            Take();
            parts.Add(ParseNot());
        }
        return new AllNode([.. parts]);
    }

    private RuleNode ParseNot()
    {
        if (Peek.Kind != RuleTokenKind.Not) return ParseComparison();
        Enter();
        Take();
        var operand = ParseNot();
        _depth--;
        return new NotNode(operand);
    }

    private RuleNode ParseComparison()
    {
        var leftStart = Peek;
        var left = ParseOperand();
        if (!TryTakeOperator(out var op, out var opToken, out var negated)) return left;

        var rightStart = Peek;
        var right = ParseOperand();
        CheckLiterals(op, opToken, left, leftStart, right, rightStart);

        RuleNode test = (op, left, right) switch
        {
            (RuleOperator.Equal or RuleOperator.NotEqual, _, ConstantNode { Value.IsMissing: true }) => new MissingTestNode(left, op == RuleOperator.Equal),
            (RuleOperator.Equal or RuleOperator.NotEqual, ConstantNode { Value.IsMissing: true }, _) => new MissingTestNode(right, op == RuleOperator.Equal),
            _ => new ComparisonNode(op, left, right),
        };

        var next = Peek;
        if (OperatorOf(next.Kind) is not null || (next.Kind == RuleTokenKind.Not && OperatorOf(PeekAfter.Kind) is not null))
            throw new RuleSyntaxException(next.Column, "comparisons cannot be chained; join them with 'and', as in hour >= 9 and hour < 17");
        return negated ? new NotNode(test) : test;
    }

    private bool TryTakeOperator(out RuleOperator op, out RuleToken token, out bool negated)
    {
        token = Peek;
        negated = false;
        if (OperatorOf(token.Kind) is { } plain)
        {
            Take();
            op = plain;
            return true;
        }
        // `x not in [...]`, `labels not contains 'x'`: only the word operators, where it reads naturally.
        if (token.Kind == RuleTokenKind.Not && OperatorOf(PeekAfter.Kind) is { } word and >= RuleOperator.In)
        {
            Take();
            token = Take();
            op = word;
            negated = true;
            return true;
        }
        op = default;
        return false;
    }

    private static RuleOperator? OperatorOf(RuleTokenKind kind) => kind switch
    {
        RuleTokenKind.Equal => RuleOperator.Equal,
        RuleTokenKind.NotEqual => RuleOperator.NotEqual,
        RuleTokenKind.Less => RuleOperator.Less,
        RuleTokenKind.LessOrEqual => RuleOperator.LessOrEqual,
        RuleTokenKind.Greater => RuleOperator.Greater,
        RuleTokenKind.GreaterOrEqual => RuleOperator.GreaterOrEqual,
        RuleTokenKind.In => RuleOperator.In,
        RuleTokenKind.Contains => RuleOperator.Contains,
        RuleTokenKind.StartsWith => RuleOperator.StartsWith,
        RuleTokenKind.EndsWith => RuleOperator.EndsWith,
        _ => null,
    };

    /// <summary>
    /// Rejects a literal that makes the test false whatever the request says (<c>agent in 3</c>,
    /// <c>priority &lt; null</c>): that is a mistake in the rule, better reported when the config loads than
    /// discovered as a rule that never fires. Values read from the context are left to evaluation.
    /// </summary>
    private void CheckLiterals(RuleOperator op, RuleToken opToken, RuleNode left, RuleToken leftStart, RuleNode right, RuleToken rightStart)
    {
        var name = Slice(opToken);
        var leftKind = (left as ConstantNode)?.Value.Kind;
        var rightKind = (right as ConstantNode)?.Value.Kind;
        switch (op)
        {
            case RuleOperator.Less or RuleOperator.LessOrEqual or RuleOperator.Greater or RuleOperator.GreaterOrEqual:
                CheckOrdered(name, left, leftStart);
                CheckOrdered(name, right, rightStart);
                break;
            case RuleOperator.In:
                CheckOneValue(name, left, leftStart);
                if (rightKind is RuleValueKind.Null or RuleValueKind.Bool or RuleValueKind.Number)
                    throw new RuleSyntaxException(rightStart.Column, $"'{name}' needs a list such as ['a', 'b'] or a text on its right, not {Describe(right)}");
                break;
            case RuleOperator.Contains:
                if (leftKind is RuleValueKind.Null or RuleValueKind.Bool or RuleValueKind.Number)
                    throw new RuleSyntaxException(leftStart.Column, $"'{name}' needs a list or a text on its left, not {Describe(left)}");
                CheckOneValue(name, right, rightStart);
                break;
            case RuleOperator.StartsWith or RuleOperator.EndsWith:
                if (leftKind is { } l && l != RuleValueKind.Text)
                    throw new RuleSyntaxException(leftStart.Column, $"'{name}' compares texts, not {Describe(left)}");
                if (rightKind is { } r && r != RuleValueKind.Text)
                    throw new RuleSyntaxException(rightStart.Column, $"'{name}' compares texts; put the start or end in quotes, as in 'gpt-', not {Describe(right)}");
                break;
        }
    }

    /// <summary>The item side of <c>in</c> / <c>contains</c>: one value, present.</summary>
    private static void CheckOneValue(string op, RuleNode operand, RuleToken start)
    {
        switch ((operand as ConstantNode)?.Value.Kind)
        {
            case RuleValueKind.List:
                throw new RuleSyntaxException(start.Column, $"'{op}' looks for one value, not a list; to look for several, join tests with 'or'");
            case RuleValueKind.Null:
                throw new RuleSyntaxException(start.Column, $"'{op}' cannot look for null, which is never found; to test for a missing value use == null");
        }
    }

    private static void CheckOrdered(string op, RuleNode operand, RuleToken start)
    {
        if (operand is not ConstantNode { Value.Kind: var kind and not (RuleValueKind.Number or RuleValueKind.Text) } literal) return;
        var hint = kind == RuleValueKind.Null ? "; to test for a missing value use == null" : "";
        throw new RuleSyntaxException(start.Column, $"'{op}' orders numbers or texts, not {literal.Value.Describe()}{hint}");
    }

    private static string Describe(RuleNode literal) => ((ConstantNode)literal).Value.Describe();

    private RuleNode ParseOperand()
    {
        var token = Peek;
        RuleNode operand;
        switch (token.Kind)
        {
            case RuleTokenKind.Name:
                operand = ParseName();
                break;
            case RuleTokenKind.Number:
                operand = new ConstantNode(RuleValue.FromNumber(Take().Number));
                break;
            case RuleTokenKind.Minus:
                Take();
                if (Peek.Kind != RuleTokenKind.Number)
                    throw new RuleSyntaxException(token.Column, "'-' must be followed by a number, as in -2");
                operand = new ConstantNode(RuleValue.FromNumber(-Take().Number));
                break;
            case RuleTokenKind.Text:
                operand = new ConstantNode(RuleValue.FromText(Take().Text));
                break;
            case RuleTokenKind.True or RuleTokenKind.False:
                Take();
                operand = new ConstantNode(RuleValue.FromBool(token.Kind == RuleTokenKind.True));
                break;
            case RuleTokenKind.Null:
                Take();
                operand = new ConstantNode(RuleValue.Missing);
                break;
            case RuleTokenKind.OpenBracket:
                operand = ParseList();
                break;
            case RuleTokenKind.OpenParen:
                Take();
                operand = ParseOr();
                Expect(RuleTokenKind.CloseParen, token, "')'");
                break;
            default:
                throw ExpectedValue(token);
        }
        // Plain names report their own `[`; anything else (a literal, a parenthesis, a map entry) lands here.
        if (Peek.Kind == RuleTokenKind.OpenBracket)
            throw new RuleSyntaxException(Peek.Column, "only metadata[...] and provider_status[...] can be indexed with [...]");
        return operand;
    }

    private ConstantNode ParseList()
    {
        var open = Take();
        var items = new List<RuleValue>();
        if (Peek.Kind == RuleTokenKind.CloseBracket)
        {
            Take();
            return new ConstantNode(RuleValue.FromList([]));
        }
        while (true)
        {
            items.Add(ParseListItem(open));
            var next = Take();
            if (next.Kind == RuleTokenKind.CloseBracket) return new ConstantNode(RuleValue.FromList([.. items]));
            if (next.Kind == RuleTokenKind.End)
                throw new RuleSyntaxException(next.Column, $"expected ']' to close the list opened at column {open.Column} but the condition ended");
            if (next.Kind != RuleTokenKind.Comma)
                throw new RuleSyntaxException(next.Column, $"expected ',' or ']' in the list opened at column {open.Column}, found {Show(next)}");
        }
    }

    private RuleValue ParseListItem(RuleToken open)
    {
        var token = Peek;
        switch (token.Kind)
        {
            case RuleTokenKind.Number or RuleTokenKind.Minus or RuleTokenKind.Text or RuleTokenKind.True or RuleTokenKind.False or RuleTokenKind.Null:
                return ((ConstantNode)ParseOperand()).Value;
            case RuleTokenKind.End:
                throw new RuleSyntaxException(token.Column, $"expected ']' to close the list opened at column {open.Column} but the condition ended");
            case RuleTokenKind.OpenBracket:
                throw new RuleSyntaxException(token.Column, "a list cannot hold another list");
            case RuleTokenKind.Name:
                throw new RuleSyntaxException(token.Column,
                    $"a list holds only literals (numbers, 'text', true, false, null); if '{Slice(token)}' is text, put it in quotes");
            case RuleTokenKind.Comma or RuleTokenKind.CloseBracket:
                throw ExpectedValue(token);
            default:
                throw new RuleSyntaxException(token.Column, $"a list holds only literals (numbers, 'text', true, false, null), not {Show(token)}");
        }
    }

    private RuleNode ParseName()
    {
        var token = Take();
        var name = Slice(token);
        if (!RuleNames.TryField(name, out var field))
        {
            var problem = RuleNames.ClosestValue(name) is { } near
                ? $"unknown name '{name}'; did you mean '{near}'?"
                : $"unknown name '{name}'; if it is text, put it in quotes ('{name}'); a rule can read {RuleNames.Listing}";
            throw new RuleSyntaxException(token.Column, problem);
        }

        if (!RuleNames.IsMap(field))
        {
            if (Peek.Kind == RuleTokenKind.OpenBracket)
                throw new RuleSyntaxException(Peek.Column, $"'{name}' is not a map, so it cannot be indexed; only metadata[...] and provider_status[...] can");
            return new FieldNode(field);
        }

        if (Peek.Kind != RuleTokenKind.OpenBracket)
            throw new RuleSyntaxException(token.Column, $"'{name}' is a map; read one entry of it, as in {RuleNames.Example(field)}");
        var open = Take();
        if (Peek.Kind == RuleTokenKind.CloseBracket)
            throw new RuleSyntaxException(Peek.Column, $"expected a key inside the brackets, as in {RuleNames.Example(field)}");
        var keyStart = Peek;
        var key = ParseOr();
        if (key is ConstantNode { Value.Kind: not RuleValueKind.Text } literal)
            throw new RuleSyntaxException(keyStart.Column, $"the key of {name} must be text, as in {RuleNames.Example(field)}, not {literal.Value.Describe()}");
        Expect(RuleTokenKind.CloseBracket, open, "']'");
        return new MapNode(field, key);
    }

    private void Expect(RuleTokenKind kind, RuleToken open, string closer)
    {
        var next = Peek;
        if (next.Kind == kind)
        {
            Take();
            return;
        }
        var what = $"expected {closer} to close the '{Slice(open)}' at column {open.Column}";
        if (next.Kind == RuleTokenKind.End) throw new RuleSyntaxException(next.Column, what + " but the condition ended");
        throw Unexpected(next, $"{what}, found {Show(next)}");
    }

    /// <summary>An error for a token that cannot come next, with a better guess than <paramref name="fallback"/> when there is one.</summary>
    private RuleSyntaxException Unexpected(RuleToken token, string fallback)
    {
        var problem = token.Kind switch
        {
            RuleTokenKind.CloseParen when !HasOpenParen() => "')' has no matching '('",
            RuleTokenKind.Not => "'not' here must be followed by in, contains, starts_with or ends_with; to negate a whole test, write not (...)",
            RuleTokenKind.Name when !RuleNames.TryField(Slice(token), out _) && RuleNames.ClosestOperator(Slice(token)) is { } near =>
                $"unexpected '{Slice(token)}'; did you mean '{near}'?",
            _ => fallback,
        };
        return new RuleSyntaxException(token.Column, problem);
    }

    private bool HasOpenParen()
    {
        var open = 0;
        for (var i = 0; i < _position; i++)
            open += _tokens[i].Kind switch { RuleTokenKind.OpenParen => 1, RuleTokenKind.CloseParen => -1, _ => 0 };
        return open > 0;
    }

    private RuleSyntaxException ExpectedValue(RuleToken token)
    {
        if (_position == 0) return new RuleSyntaxException(token.Column, $"expected a value, such as a name or a number, but found {Show(token)}");
        var after = Show(_tokens[_position - 1]);
        return token.Kind == RuleTokenKind.End
            ? new RuleSyntaxException(token.Column, $"expected a value after {after} but the condition ended")
            : new RuleSyntaxException(token.Column, $"expected a value after {after} but found {Show(token)}");
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
            throw new RuleSyntaxException(Peek.Column, $"the condition nests more than {MaxDepth} levels deep; split it into simpler rules");
    }

    private string Slice(RuleToken token) => _text.Substring(token.Start, token.Length);

    /// <summary>A token as an error message names it.</summary>
    private string Show(RuleToken token)
    {
        var slice = Slice(token);
        if (slice.Length > 30) slice = slice[..30] + "…";
        // Literals show as written (a string with its own quotes); everything else in quotes.
        return token.Kind switch
        {
            RuleTokenKind.End => "the end",
            RuleTokenKind.Text or RuleTokenKind.Number => slice,
            _ => "'" + slice + "'",
        };
    }
}
