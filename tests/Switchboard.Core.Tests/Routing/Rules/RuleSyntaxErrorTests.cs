using Shouldly;
using Switchboard.Routing.Rules;
using Xunit;

namespace Switchboard.Core.Tests.Routing.Rules;

/// <summary>Every way a condition can be malformed: the column it points at and the sentence the user reads.</summary>
public sealed class RuleSyntaxErrorTests
{
    private static RuleSyntaxException Fails(string text) => Should.Throw<RuleSyntaxException>(() => RuleCondition.Parse(text));

    private static void FailsAt(string text, int column, string problem)
    {
        var error = Fails(text);
        error.Column.ShouldBe(column);
        error.Problem.ShouldBe(problem);
        error.Message.ShouldBe($"column {column}: {problem}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void An_empty_condition_asks_for_a_test(string text) =>
        FailsAt(text, 1, "the condition is empty; write a test such as priority == 0");

    [Fact]
    public void A_missing_operand_at_the_end_points_past_the_last_character() =>
        FailsAt("priority == ", 13, "expected a value after '==' but the condition ended");

    [Theory]
    [InlineData("priority ==", 12, "expected a value after '==' but the condition ended")]
    [InlineData("priority == and hour > 3", 13, "expected a value after '==' but found 'and'")]
    [InlineData("and hour > 3", 1, "expected a value, such as a name or a number, but found 'and'")]
    [InlineData("== 0", 1, "expected a value, such as a name or a number, but found '=='")]
    [InlineData("hour > 3 and", 13, "expected a value after 'and' but the condition ended")]
    [InlineData("hour > 3 or or hour < 1", 13, "expected a value after 'or' but found 'or'")]
    [InlineData("not", 4, "expected a value after 'not' but the condition ended")]
    [InlineData("!", 2, "expected a value after '!' but the condition ended")]
    [InlineData("()", 2, "expected a value after '(' but found ')'")]
    [InlineData("labels contains ", 17, "expected a value after 'contains' but the condition ended")]
    [InlineData("has_tools == not has_images", 14, "expected a value after '==' but found 'not'")]
    public void A_missing_operand_says_what_came_before(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("agent == 'pricing", 10, "the string that starts here is never closed; end it with '")]
    [InlineData("agent == \"pricing", 10, "the string that starts here is never closed; end it with \"")]
    [InlineData("agent == 'it\\'", 10, "the string that starts here is never closed; end it with '")]
    public void An_unclosed_string_points_at_its_opening_quote(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("agent == 'a\\nb'", 12, "a backslash in a string must be followed by \\' or \\\" or \\\\, not 'n'")]
    [InlineData("agent == 'a\\", 12, "a backslash in a string must be followed by \\' or \\\" or \\\\, not the end")]
    public void An_unknown_escape_points_at_the_backslash(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("(priority == 0", 15, "expected ')' to close the '(' at column 1 but the condition ended")]
    [InlineData("hour > 3 and (tokens > 9 or (has_tools)", 40, "expected ')' to close the '(' at column 14 but the condition ended")]
    [InlineData("(priority == 0 hour > 2)", 16, "expected ')' to close the '(' at column 1, found 'hour'")]
    public void An_unclosed_parenthesis_names_where_it_opened(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("priority == 0)", 14, "')' has no matching '('")]
    [InlineData("(priority == 0))", 16, "')' has no matching '('")]
    public void A_stray_closing_parenthesis_is_named(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("weekday in ['saturday', 'sunday'", 33, "expected ']' to close the list opened at column 12 but the condition ended")]
    [InlineData("weekday in ['saturday',", 24, "expected ']' to close the list opened at column 12 but the condition ended")]
    [InlineData("weekday in [", 13, "expected ']' to close the list opened at column 12 but the condition ended")]
    [InlineData("weekday in ['saturday' 'sunday']", 24, "expected ',' or ']' in the list opened at column 12, found 'sunday'")]
    [InlineData("weekday in ['saturday',]", 24, "expected a value after ',' but found ']'")]
    [InlineData("weekday in [, 'sunday']", 13, "expected a value after '[' but found ','")]
    public void An_unclosed_or_malformed_list_names_where_it_opened(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("weekday in [saturday, sunday]", 13, "a list holds only literals (numbers, 'text', true, false, null); if 'saturday' is text, put it in quotes")]
    [InlineData("labels in [['a']]", 12, "a list cannot hold another list")]
    [InlineData("hour in [(1)]", 10, "a list holds only literals (numbers, 'text', true, false, null), not '('")]
    public void A_list_holds_only_literals(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("priority == 0 hour", 15, "unexpected 'hour' after a complete test; join tests with 'and' or 'or'")]
    [InlineData("priority == 0 'x'", 15, "unexpected 'x' after a complete test; join tests with 'and' or 'or'")]
    [InlineData("priority == 0 1", 15, "unexpected 1 after a complete test; join tests with 'and' or 'or'")]
    [InlineData("has_tools has_images", 11, "unexpected 'has_images' after a complete test; join tests with 'and' or 'or'")]
    public void Trailing_tokens_after_a_complete_test_are_refused(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("model startswith 'gpt-'", 7, "unexpected 'startswith'; did you mean 'starts_with'?")]
    [InlineData("labels contain 'code'", 8, "unexpected 'contain'; did you mean 'contains'?")]
    [InlineData("has_tools adn has_images", 11, "unexpected 'adn'; did you mean 'and'?")]
    [InlineData("(model endswith 'x')", 8, "unexpected 'endswith'; did you mean 'ends_with'?")]
    public void A_misspelt_word_operator_suggests_the_closest(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("priorty == 0", 1, "unknown name 'priorty'; did you mean 'priority'?")]
    [InlineData("Priority == 0", 1, "unknown name 'Priority'; did you mean 'priority'?")]
    [InlineData("hour > 3 and retry-count > 1", 14, "unknown name 'retry-count'; did you mean 'retry_count'?")]
    [InlineData("has_tool", 1, "unknown name 'has_tool'; did you mean 'has_tools'?")]
    [InlineData("agent == ture", 10, "unknown name 'ture'; did you mean 'true'?")]
    [InlineData("provider_stat['x'] == 'down'", 1, "unknown name 'provider_stat'; did you mean 'provider_status'?")]
    public void Unknown_name_suggests_the_closest(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("weekday == saturday", 12, "saturday")]
    [InlineData("model == gpt-4o.mini", 10, "gpt-4o.mini")]
    [InlineData("x", 1, "x")]
    public void An_unknown_name_with_nothing_close_suggests_quoting_and_lists_the_names(string text, int column, string name) =>
        FailsAt(text, column,
            $"unknown name '{name}'; if it is text, put it in quotes ('{name}'); a rule can read priority, labels, agent, stage, workflow, id, user, " +
            "hour, weekday, tokens, complexity, retry_count, has_tools, has_images, model, provider_status['name'], metadata['key']");

    [Theory]
    [InlineData("priority = 0", 10, "'=' is not an operator; use '==' to compare")]
    [InlineData("priority <> 0", 10, "'<>' is not an operator; use '!=' for 'not equal'")]
    [InlineData("priority => 0", 10, "'=>' is not an operator; use '>='")]
    [InlineData("priority =< 0", 10, "'=<' is not an operator; use '<='")]
    [InlineData("has_tools & has_images", 11, "'&' is not an operator; use 'and' (or '&&')")]
    [InlineData("has_tools | has_images", 11, "'|' is not an operator; use 'or' (or '||')")]
    [InlineData("priority $ 0", 10, "unexpected character '$'; text must be in quotes, as in 'abc'")]
    [InlineData("agent == é", 10, "unexpected character 'é'; text must be in quotes, as in 'abc'")]
    [InlineData("tokens > .5", 10, "unexpected character '.'; text must be in quotes, as in 'abc'")]
    [InlineData("agent == \u0001", 10, "unexpected character U+0001; text must be in quotes, as in 'abc'")]
    [InlineData("metadata['te' + 'am'] == 'x'", 15, "'+' is not an operator; conditions compare values but do no arithmetic")]
    [InlineData("tokens / 2 > 4000", 8, "'/' is not an operator; conditions compare values but do no arithmetic")]
    public void An_unknown_operator_character_is_named_with_what_to_use(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("tokens > 10k", 10, "'10k' is not a number; write plain digits, as in 8000 or 0.5")]
    [InlineData("tokens > 1e5", 10, "'1e5' is not a number; write plain digits, as in 8000 or 0.5")]
    [InlineData("tokens > 1.2.3", 10, "'1.2.3' is not a number; write plain digits, as in 8000 or 0.5")]
    [InlineData("priority == 1.", 13, "'1.' is not a number; write digits after the point, as in 1.5")]
    [InlineData("priority == -hour", 13, "'-' must be followed by a number, as in -2")]
    [InlineData("priority == -", 13, "'-' must be followed by a number, as in -2")]
    public void A_malformed_number_is_named(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("metadata == 'search'", 1, "'metadata' is a map; read one entry of it, as in metadata['team']")]
    [InlineData("provider_status == 'down'", 1, "'provider_status' is a map; read one entry of it, as in provider_status['anthropic']")]
    [InlineData("not metadata", 5, "'metadata' is a map; read one entry of it, as in metadata['team']")]
    public void A_map_name_without_an_index_shows_how_to_index_it(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("agent['x'] == 'y'", 6, "'agent' is not a map, so it cannot be indexed; only metadata[...] and provider_status[...] can")]
    [InlineData("labels[0] == 'y'", 7, "'labels' is not a map, so it cannot be indexed; only metadata[...] and provider_status[...] can")]
    [InlineData("'abc'[0] == 'a'", 6, "only metadata[...] and provider_status[...] can be indexed with [...]")]
    [InlineData("(agent)['x'] == 'a'", 8, "only metadata[...] and provider_status[...] can be indexed with [...]")]
    [InlineData("metadata['a']['b'] == 'c'", 14, "only metadata[...] and provider_status[...] can be indexed with [...]")]
    public void An_index_on_anything_but_a_map_is_refused(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("metadata[] == 'x'", 10, "expected a key inside the brackets, as in metadata['team']")]
    [InlineData("metadata[1] == 'x'", 10, "the key of metadata must be text, as in metadata['team'], not the number 1")]
    [InlineData("provider_status[null] == 'x'", 17, "the key of provider_status must be text, as in provider_status['anthropic'], not null")]
    [InlineData("metadata['team' == 'x'", 23, "expected ']' to close the '[' at column 9 but the condition ended")]
    [InlineData("metadata['team') == 'x'", 16, "')' has no matching '('")]
    public void A_map_key_must_be_text_in_closed_brackets(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("agent in 3", 10, "'in' needs a list such as ['a', 'b'] or a text on its right, not the number 3")]
    [InlineData("agent in true", 10, "'in' needs a list such as ['a', 'b'] or a text on its right, not true")]
    [InlineData("agent in null", 10, "'in' needs a list such as ['a', 'b'] or a text on its right, not null")]
    [InlineData("agent not in 3", 14, "'in' needs a list such as ['a', 'b'] or a text on its right, not the number 3")]
    [InlineData("['a'] in labels", 1, "'in' looks for one value, not a list; to look for several, join tests with 'or'")]
    [InlineData("null in labels", 1, "'in' cannot look for null, which is never found; to test for a missing value use == null")]
    public void In_needs_a_list_or_text_on_its_right_and_one_value_on_its_left(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("3 contains 'a'", 1, "'contains' needs a list or a text on its left, not the number 3")]
    [InlineData("labels contains ['a', 'b']", 17, "'contains' looks for one value, not a list; to look for several, join tests with 'or'")]
    [InlineData("labels contains null", 17, "'contains' cannot look for null, which is never found; to test for a missing value use == null")]
    [InlineData("model starts_with 1", 19, "'starts_with' compares texts; put the start or end in quotes, as in 'gpt-', not the number 1")]
    [InlineData("['gpt'] ends_with model", 1, "'ends_with' compares texts, not a list")]
    [InlineData("priority < null", 12, "'<' orders numbers or texts, not null; to test for a missing value use == null")]
    [InlineData("has_tools >= true", 14, "'>=' orders numbers or texts, not true")]
    [InlineData("[1, 2] > hour", 1, "'>' orders numbers or texts, not a list")]
    public void A_literal_that_can_never_match_its_operator_is_refused(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("1 < hour < 5", 10, "comparisons cannot be chained; join them with 'and', as in hour >= 9 and hour < 17")]
    [InlineData("agent == 'a' == true", 14, "comparisons cannot be chained; join them with 'and', as in hour >= 9 and hour < 17")]
    [InlineData("agent in 'abc' not in 'x'", 16, "comparisons cannot be chained; join them with 'and', as in hour >= 9 and hour < 17")]
    public void Comparisons_cannot_be_chained(string text, int column, string problem) =>
        FailsAt(text, column, problem);

    [Theory]
    [InlineData("agent not 'x'", 7)]
    [InlineData("has_tools not", 11)]
    public void A_not_between_values_says_what_may_follow_it(string text, int column) =>
        FailsAt(text, column, "'not' here must be followed by in, contains, starts_with or ends_with; to negate a whole test, write not (...)");

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused_rather_than_overflowing_the_stack()
    {
        FailsAt(new string('(', 100) + "true" + new string(')', 100), 65, "the condition nests more than 64 levels deep; split it into simpler rules");
        Fails(string.Concat(Enumerable.Repeat("not ", 100)) + "true").Column.ShouldBe(253);
        Fails(new string('!', 10_000) + "true").Problem.ShouldStartWith("the condition nests more than 64 levels deep");
    }

    [Fact]
    public void The_deepest_allowed_nesting_parses() =>
        RuleCondition.Parse(new string('(', 63) + "true" + new string(')', 63)).Evaluate(new()).ShouldBeTrue();

    [Fact]
    public void A_null_text_is_a_programming_error_not_a_syntax_error() =>
        Should.Throw<ArgumentNullException>(() => RuleCondition.Parse(null!));
}
