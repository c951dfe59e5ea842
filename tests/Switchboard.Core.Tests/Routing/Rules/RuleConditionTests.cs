using System.Diagnostics.CodeAnalysis;
using Shouldly;
using Switchboard.Routing;
using Switchboard.Routing.Rules;
using Xunit;

namespace Switchboard.Core.Tests.Routing.Rules;

/// <summary>What conditions mean: every construct of the language, evaluated against realistic requests.</summary>
public sealed class RuleConditionTests
{
    private static bool Matches(string condition, RoutingContext context) => RuleCondition.Parse(condition).Evaluate(context);

    private static readonly RoutingContext Pricing = new(() => new PromptAnalysis(12_000, 8.5, []))
    {
        Model = "gpt-4o-mini",
        Priority = 0,
        Labels = ["documentation", "code"],
        Agent = "pricing",
        Stage = "draft",
        Workflow = "quarterly-report",
        Id = "task-1230",
        User = "ana",
        Metadata = new Dictionary<string, string> { ["team"] = "search", ["tier"] = "2" },
        Hour = 23,
        Weekday = "saturday",
        RetryCount = 1,
        HasTools = true,
        HasImages = false,
        ProviderStatus = name => name switch { "claude-cli" => "down", "openai" => "healthy", _ => "unknown" },
    };

    // A request that sent nothing: no priority, no agent, no labels, no metadata.
    private static readonly RoutingContext Bare = new(() => new PromptAnalysis(40, 0, [])) { Hour = 12, Weekday = "tuesday" };

    [Theory]
    [InlineData("priority == 0")]
    [InlineData("labels contains 'documentation'")]
    [InlineData("hour >= 22 or hour <= 6")]
    [InlineData("id ends_with '0'")]
    [InlineData("provider_status['claude-cli'] == 'down'")]
    [InlineData("agent == 'pricing' and tokens > 8000")]
    [InlineData("weekday in ['saturday', 'sunday']")]
    [InlineData("complexity >= 7 and (has_tools or labels contains 'code')")]
    [InlineData("model starts_with 'gpt-'")]
    public void The_documented_examples_match_the_request_they_describe(string condition)
    {
        Matches(condition, Pricing).ShouldBeTrue();
        Matches(condition, Bare).ShouldBeFalse();
    }

    [Fact]
    public void Not_has_tools_matches_a_request_without_tools()
    {
        Matches("not has_tools", Pricing).ShouldBeFalse();
        Matches("not has_tools", Bare).ShouldBeTrue();
    }

    [Theory]
    [InlineData("hour >= 22 or hour <= 6", 22, true)]
    [InlineData("hour >= 22 or hour <= 6", 3, true)]
    [InlineData("hour >= 22 or hour <= 6", 6, true)]
    [InlineData("hour >= 22 or hour <= 6", 7, false)]
    [InlineData("hour >= 22 or hour <= 6", 21, false)]
    [InlineData("hour > 9 and hour < 17", 9, false)]
    [InlineData("hour > 9 and hour < 17", 10, true)]
    [InlineData("hour < 12", 12, false)]
    [InlineData("hour <= 12", 12, true)]
    [InlineData("hour > 12", 12, false)]
    [InlineData("hour >= 12", 12, true)]
    [InlineData("hour < 12", 11, true)]
    [InlineData("hour >= 12", 11, false)]
    [InlineData("12 > hour", 11, true)]
    [InlineData("hour != 12", 12, false)]
    [InlineData("hour != 12", 13, true)]
    public void Numbers_compare_as_numbers(string condition, int hour, bool expected) =>
        Matches(condition, new RoutingContext { Hour = hour }).ShouldBe(expected);

    [Theory]
    [InlineData("priority == 0", false)]
    [InlineData("priority != 0", false)]
    [InlineData("priority < 5", false)]
    [InlineData("priority >= 0", false)]
    [InlineData("agent == 'pricing'", false)]
    [InlineData("agent != 'pricing'", false)]
    [InlineData("agent starts_with ''", false)]
    [InlineData("agent in ['pricing', 'search']", false)]
    [InlineData("agent in 'pricing'", false)]
    [InlineData("'' in agent", false)]
    [InlineData("metadata['team'] == 'search'", false)]
    [InlineData("metadata['team'] != 'search'", false)]
    [InlineData("metadata['team'] == metadata['tier']", false)]
    [InlineData("priority == null", true)]
    [InlineData("null == priority", true)]
    [InlineData("agent == null", true)]
    [InlineData("metadata['team'] == null", true)]
    [InlineData("priority != null", false)]
    [InlineData("agent != null", false)]
    [InlineData("not (agent == 'pricing')", true)]
    [InlineData("agent not in ['pricing']", true)]
    public void A_missing_value_compares_false_with_everything_but_null(string condition, bool expected) =>
        Matches(condition, Bare).ShouldBe(expected);

    [Theory]
    [InlineData("priority == null", false)]
    [InlineData("priority != null", true)]
    [InlineData("agent != null", true)]
    [InlineData("metadata['team'] != null", true)]
    [InlineData("null == null", true)]
    [InlineData("null != null", false)]
    public void A_present_value_is_not_null(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Theory]
    [InlineData("agent < 3", false)]
    [InlineData("agent > 3", false)]
    [InlineData("hour >= 'a'", false)]
    [InlineData("hour == '23'", false)]
    [InlineData("hour != '23'", true)]
    [InlineData("has_tools == 1", false)]
    [InlineData("has_tools < 2", false)]
    [InlineData("metadata['tier'] == 2", false)]
    [InlineData("metadata['tier'] == '2'", true)]
    [InlineData("labels < 'a'", false)]
    [InlineData("hour in labels", false)]
    [InlineData("hour in agent", false)]
    [InlineData("tokens contains 1", false)]
    [InlineData("labels starts_with 'doc'", false)]
    [InlineData("hour ends_with '3'", false)]
    [InlineData("has_tools contains true", false)]
    public void Values_of_different_kinds_never_match_and_are_never_an_error(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Theory]
    [InlineData("agent == 'pricing'", true)]
    [InlineData("agent == 'Pricing'", false)]
    [InlineData("agent != 'Pricing'", true)]
    [InlineData("agent == \"pricing\"", true)]
    [InlineData("agent < 'pricinh'", true)]
    [InlineData("agent > 'pricin'", true)]
    [InlineData("agent >= 'pricing' and agent <= 'pricing'", true)]
    [InlineData("agent < 'pricing' or agent > 'pricing'", false)]
    [InlineData("'Z' < agent", true)]
    [InlineData("model starts_with 'gpt-4o'", true)]
    [InlineData("model starts_with 'GPT'", false)]
    [InlineData("model ends_with '-mini'", true)]
    [InlineData("model contains '4o'", true)]
    [InlineData("'4o' in model", true)]
    [InlineData("'4O' in model", false)]
    [InlineData("'' in model", true)]
    [InlineData("model in 'openai/gpt-4o-mini-2024'", true)]
    [InlineData("workflow starts_with 'quarterly' and stage == 'draft' and user == 'ana'", true)]
    public void Text_compares_ordinally_and_case_sensitively(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Theory]
    [InlineData("labels contains 'code'", true)]
    [InlineData("labels contains 'Code'", false)]
    [InlineData("labels contains 'cod'", false)]
    [InlineData("'code' in labels", true)]
    [InlineData("'urgent' in labels", false)]
    [InlineData("labels not contains 'urgent'", true)]
    [InlineData("labels == ['documentation', 'code']", true)]
    [InlineData("labels == ['code', 'documentation']", false)]
    [InlineData("labels != ['code']", true)]
    [InlineData("hour in [22, 23, 0]", true)]
    [InlineData("hour in [22, '23']", false)]
    [InlineData("weekday in []", false)]
    [InlineData("weekday not in ['monday', 'tuesday']", true)]
    [InlineData("priority in [-1, 0, 1.5]", true)]
    [InlineData("has_tools in [true]", true)]
    [InlineData("[1, 'a', true, null] == [1, 'a', true, null]", true)]
    public void Lists_hold_items_and_compare_item_by_item(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Theory]
    [InlineData("provider_status['claude-cli'] == 'down'", true)]
    [InlineData("provider_status['openai'] == 'healthy'", true)]
    [InlineData("provider_status[\"openai\"] != 'down'", true)]
    [InlineData("provider_status['nobody'] == 'unknown'", true)]
    [InlineData("metadata['team'] == 'search'", true)]
    [InlineData("metadata['TEAM'] == 'search'", false)]
    [InlineData("metadata['missing'] == null", true)]
    public void Maps_are_read_by_key(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Fact]
    public void A_map_key_can_be_read_from_the_request()
    {
        var context = new RoutingContext
        {
            Agent = "search",
            Hour = 3,
            Metadata = new Dictionary<string, string> { ["search"] = "on" },
            ProviderStatus = name => name == "search" ? "degraded" : "healthy",
        };

        Matches("metadata[agent] == 'on'", context).ShouldBeTrue();
        Matches("provider_status[agent] == 'degraded'", context).ShouldBeTrue();
        // A key that is not text (a number, a missing agent) reads as missing rather than failing.
        Matches("metadata[hour] == null", context).ShouldBeTrue();
        Matches("metadata[stage] == null", context).ShouldBeTrue();
        Matches("provider_status[stage] == null", context).ShouldBeTrue();
    }

    [Theory]
    [InlineData("true or false and false", true)]
    [InlineData("(true or false) and false", false)]
    [InlineData("false and false or true", true)]
    [InlineData("not false and false", false)]
    [InlineData("not (false and false)", true)]
    [InlineData("not not true", true)]
    [InlineData("!!true", true)]
    [InlineData("!true || !false && false", false)]
    [InlineData("true && (false || true)", true)]
    [InlineData("not labels contains 'code'", false)]
    [InlineData("not labels contains 'urgent'", true)]
    [InlineData("not hour == 23 or has_tools", true)]
    [InlineData("! hour == 23", false)]
    [InlineData("(hour == 23) == true", true)]
    [InlineData("has_tools == (hour == 23)", true)]
    public void Not_binds_a_whole_comparison_and_is_looser_than_it_but_tighter_than_and(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Theory]
    [InlineData("NOT has_images AND agent == 'pricing' OR False")]
    [InlineData("agent IN ['pricing'] And labels CONTAINS 'code' and model Starts_With 'gpt' and id ENDS_WITH '0'")]
    [InlineData("priority != NULL and has_tools == TRUE")]
    public void Keywords_are_read_in_any_case(string condition) =>
        Matches(condition, Pricing).ShouldBeTrue();

    [Theory]
    [InlineData("agent == 'o\\'brien'", "o'brien")]
    [InlineData("agent == \"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("agent == 'back\\\\slash'", "back\\slash")]
    [InlineData("agent == \"it's\"", "it's")]
    [InlineData("agent == 'a \"quoted\" word'", "a \"quoted\" word")]
    [InlineData("agent == 'ünïcødé 🚀'", "ünïcødé 🚀")]
    [InlineData("agent == ''", "")]
    public void Strings_take_either_quote_and_escape_quotes_and_backslashes(string condition, string agent) =>
        Matches(condition, new RoutingContext { Agent = agent }).ShouldBeTrue();

    [Theory]
    [InlineData("priority == -2", -2.0, true)]
    [InlineData("priority > -2.5", -2.0, true)]
    [InlineData("priority == 1.5", 1.5, true)]
    [InlineData("priority == 0", -0.0, true)]
    [InlineData("priority < 0", double.NegativeInfinity, true)]
    [InlineData("priority > 1000000", double.PositiveInfinity, true)]
    [InlineData("priority == 0", double.NaN, false)]
    [InlineData("priority != 0", double.NaN, true)]
    [InlineData("priority < 1 or priority >= 1", double.NaN, false)]
    [InlineData("priority == priority", double.NaN, false)]
    [InlineData("priority == 007", 7.0, true)]
    public void Numbers_follow_floating_point_rules(string condition, double priority, bool expected) =>
        Matches(condition, new RoutingContext { Priority = priority }).ShouldBe(expected);

    [Theory]
    [InlineData("has_tools", true)]
    [InlineData("has_images", false)]
    [InlineData("agent", true)]
    [InlineData("priority", false)]
    [InlineData("tokens", true)]
    [InlineData("labels", true)]
    [InlineData("metadata['team']", true)]
    [InlineData("metadata['missing']", false)]
    [InlineData("'text'", true)]
    [InlineData("''", false)]
    [InlineData("0", false)]
    [InlineData("0.1", true)]
    [InlineData("null", false)]
    [InlineData("[]", false)]
    [InlineData("[0]", true)]
    [InlineData("not agent", false)]
    [InlineData("agent and has_tools", true)]
    public void A_bare_value_is_true_unless_false_missing_zero_or_empty(string condition, bool expected) =>
        Matches(condition, Pricing).ShouldBe(expected);

    [Fact]
    public void A_bare_value_is_false_when_missing_empty_or_nan()
    {
        var context = new RoutingContext { Agent = "", Priority = double.NaN, Labels = [] };

        Matches("agent", context).ShouldBeFalse();
        Matches("priority", context).ShouldBeFalse();
        Matches("labels", context).ShouldBeFalse();
        Matches("stage", context).ShouldBeFalse();
        Matches("retry_count", context).ShouldBeFalse();
        Matches("retry_count", new RoutingContext { RetryCount = 2 }).ShouldBeTrue();
    }

    [Fact]
    public void Complexity_is_scored_only_when_a_condition_reaches_it_and_only_once()
    {
        var scored = 0;
        var context = new RoutingContext(() => { scored++; return new PromptAnalysis(100, 7.5, []); }) { Agent = "search" };
        RuleCondition[] rules =
        [
            RuleCondition.Parse("agent == 'pricing' and complexity > 5"),
            RuleCondition.Parse("has_tools and tokens > 8000"),
            RuleCondition.Parse("has_tools and complexity > 5"),
        ];

        foreach (var rule in rules) rule.Evaluate(context).ShouldBeFalse();
        scored.ShouldBe(0);

        RuleCondition.Parse("complexity >= 7 and complexity < 8").Evaluate(context).ShouldBeTrue();
        RuleCondition.Parse("complexity > 9").Evaluate(context).ShouldBeFalse();
        scored.ShouldBe(1);
    }

    [Fact]
    public void Without_a_scorer_complexity_is_zero() =>
        Matches("complexity == 0", new RoutingContext()).ShouldBeTrue();

    [Fact]
    public void A_failing_scorer_or_status_lookup_reads_as_missing_instead_of_throwing()
    {
        var context = new RoutingContext(() => throw new InvalidOperationException("scorer broke"))
        {
            ProviderStatus = _ => throw new HttpRequestException("health store down"),
            Metadata = new ThrowingDictionary(),
        };

        Matches("complexity > 5", context).ShouldBeFalse();
        Matches("complexity == null", context).ShouldBeTrue();
        Matches("provider_status['openai'] == 'down'", context).ShouldBeFalse();
        Matches("provider_status['openai'] == null", context).ShouldBeTrue();
        Matches("metadata['team'] == null", context).ShouldBeTrue();
    }

    [Fact]
    public void Nulls_where_the_context_promises_values_read_as_missing()
    {
        var context = new RoutingContext
        {
            Model = null!,
            Weekday = null!,
            Labels = null!,
            Metadata = null!,
            ProviderStatus = null!,
        };

        Matches("model == null and weekday == null and labels == null", context).ShouldBeTrue();
        Matches("model starts_with 'gpt' or labels contains 'x' or weekday in ['monday']", context).ShouldBeFalse();
        Matches("metadata['team'] == null and provider_status['openai'] == null", context).ShouldBeTrue();
        Matches("provider_status['x'] == null", new RoutingContext { ProviderStatus = _ => null! }).ShouldBeTrue();
        Matches("'a' in labels", new RoutingContext { Labels = [null!, "a"] }).ShouldBeTrue();
    }

    [Fact]
    public void A_condition_keeps_its_text()
    {
        var condition = RuleCondition.Parse("  agent == 'pricing'  ");

        condition.Text.ShouldBe("  agent == 'pricing'  ");
        condition.ToString().ShouldBe(condition.Text);
    }

    [Fact]
    public void Whitespace_is_free_between_tokens() =>
        Matches("agent=='pricing'&&(tokens>8000||hour<3)&&!has_images&&weekday in['saturday']&&metadata [ 'team' ]=='search'", Pricing).ShouldBeTrue();

    [Fact]
    public void A_null_context_is_a_programming_error() =>
        Should.Throw<ArgumentNullException>(() => RuleCondition.Parse("true").Evaluate(null!));

    [Fact]
    public void The_first_matching_rule_wins_in_order()
    {
        string[] rules = ["provider_status['claude-cli'] == 'down'", "priority == 0", "true"];
        var parsed = rules.Select(RuleCondition.Parse).ToArray();

        Array.FindIndex(parsed, r => r.Evaluate(Pricing)).ShouldBe(0);
        Array.FindIndex(parsed, r => r.Evaluate(Bare)).ShouldBe(2);
    }

    /// <summary>A metadata map whose lookups fail, as a caller's own implementation might.</summary>
    private sealed class ThrowingDictionary : Dictionary<string, string>, IReadOnlyDictionary<string, string>
    {
        bool IReadOnlyDictionary<string, string>.TryGetValue(string key, [MaybeNullWhen(false)] out string value) => throw new InvalidOperationException("lookup broke");
    }
}
