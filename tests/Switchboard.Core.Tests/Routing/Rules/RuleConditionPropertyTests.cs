using FsCheck;
using FsCheck.Fluent;
using Shouldly;
using Switchboard.Routing;
using Switchboard.Routing.Rules;
using Xunit;

namespace Switchboard.Core.Tests.Routing.Rules;

/// <summary>
/// The promises the router relies on, checked over generated input: parsing fails only with a
/// <see cref="RuleSyntaxException"/> pointing inside the text, and evaluation never throws, whatever the request.
/// </summary>
public sealed class RuleConditionPropertyTests
{
    private static readonly string[] Fields =
        ["priority", "labels", "agent", "stage", "workflow", "id", "user", "hour", "weekday", "tokens", "complexity", "retry_count", "has_tools", "has_images", "model"];

    // Words the rules are likely to meet, and text that is awkward to quote or compare.
    private static readonly string[] Words =
        ["pricing", "search", "saturday", "sunday", "claude-cli", "down", "healthy", "code", "documentation", "gpt-4o-mini", "team", "0", "",
         "O'Brien", "say \"hi\"", "back\\slash", "ünïcødé 🚀", "\0", "\ud800", " ", "\n"];

    private static readonly string[] Conditions =
    [
        "priority == 0", "labels contains 'documentation'", "hour >= 22 or hour <= 6", "id ends_with '0'",
        "provider_status['claude-cli'] == 'down'", "agent == 'pricing' and tokens > 8000", "not has_tools",
        "weekday in ['saturday', 'sunday']", "complexity >= 7 and (has_tools or labels contains 'code')", "model starts_with 'gpt-'",
        "priority < 1 or priority > 1", "priority", "labels", "metadata['team']", "metadata[agent] != null", "provider_status[model] == 'down'",
        "agent in stage", "labels == ['code']", "weekday not in labels", "'' in user", "workflow ends_with id", "retry_count >= 2 and stage != null",
        "complexity", "has_images == has_tools", "metadata['O\\'Brien'] starts_with 'x'", "hour in [1, 'a', true, null, -2.5]",
    ];

    private static readonly Gen<string> Texts = Gen.Frequency(
        (3, Gen.Elements(Words)),
        (2, ArbMap.Default.ArbFor<string>().Generator.Where(s => s is not null)));

    private static readonly Gen<string?> OptionalTexts = Gen.Frequency((1, Gen.Constant<string?>(null)), (4, Texts.Select(s => (string?)s)));

    private static readonly Gen<double> Doubles = Gen.Frequency(
        (4, Gen.Choose(-5, 12).Select(i => (double)i)),
        (1, Gen.Elements(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.MaxValue, double.Epsilon)),
        (2, ArbMap.Default.ArbFor<double>().Generator));

    private static readonly Gen<int> Ints = Gen.Frequency(
        (4, Gen.Choose(0, 23)),
        (1, ArbMap.Default.ArbFor<int>().Generator),
        (1, Gen.Elements(int.MinValue, int.MaxValue)));

    private static readonly Gen<ContextSpec> Contexts =
        from priority in Gen.Frequency((1, Gen.Constant<double?>(null)), (3, Doubles.Select(d => (double?)d)))
        from labels in Gen.ArrayOf(Texts)
        from agent in OptionalTexts
        from stage in OptionalTexts
        from workflow in OptionalTexts
        from id in OptionalTexts
        from user in OptionalTexts
        from hour in Ints
        from weekday in OptionalTexts
        from tokens in Ints
        from complexity in Gen.Frequency((1, Gen.Constant<double?>(null)), (4, Doubles.Select(d => (double?)d)))
        from retries in Ints
        from hasTools in ArbMap.Default.ArbFor<bool>().Generator
        from hasImages in ArbMap.Default.ArbFor<bool>().Generator
        from model in OptionalTexts
        from metadata in Gen.ArrayOf(Gen.Zip(Texts, Texts))
        from statuses in Gen.Frequency((1, Gen.Constant<(string, string?)[]?>(null)), (4, Gen.ArrayOf(Gen.Zip(Texts, OptionalTexts)).Select(a => ((string, string?)[]?)a)))
        select new ContextSpec(priority, labels, agent, stage, workflow, id, user, hour, weekday, tokens, complexity, retries, hasTools, hasImages, model, metadata, statuses);

    private static Config Runs(int count) => Config.QuickThrowOnFailure.WithMaxTest(count);

    [Fact]
    public void Evaluating_never_throws_on_any_context()
    {
        var rules = Conditions.Select(RuleCondition.Parse).ToArray();

        Check.One(Runs(1000), Prop.ForAll(Contexts.ToArbitrary(), spec =>
        {
            var context = spec.Build();
            foreach (var rule in rules) rule.Evaluate(context);
        }));
    }

    [Fact]
    public void Every_well_formed_condition_parses_and_evaluates_without_throwing() =>
        Check.One(Runs(500), Prop.ForAll(Gen.Sized(size => Condition(Math.Min(size, 6))).ToArbitrary(), Contexts.ToArbitrary(), (text, spec) =>
        {
            RuleCondition.Parse(text).Evaluate(spec.Build());
        }));

    [Fact]
    public void Not_and_and_or_combine_conditions_as_boolean_logic()
    {
        var conditions = Gen.Sized(size => Condition(Math.Min(size, 4)));

        Check.One(Runs(500), Prop.ForAll(conditions.ToArbitrary(), conditions.ToArbitrary(), Contexts.ToArbitrary(), (a, b, spec) =>
        {
            var context = spec.Build();
            var left = RuleCondition.Parse(a).Evaluate(context);
            var right = RuleCondition.Parse(b).Evaluate(context);

            return RuleCondition.Parse($"not ({a})").Evaluate(context) == !left
                && RuleCondition.Parse($"({a}) and ({b})").Evaluate(context) == (left && right)
                && RuleCondition.Parse($"({a}) || ({b})").Evaluate(context) == (left || right);
        }));
    }

    [Fact]
    public void Parsing_any_text_either_succeeds_or_points_inside_it()
    {
        var anyText = ArbMap.Default.ArbFor<string>().Generator.Where(s => s is not null);

        Check.One(Runs(2000), Prop.ForAll(Gen.OneOf(anyText, TokenSoup).ToArbitrary(), ParsesOrPointsInside));
    }

    private static bool ParsesOrPointsInside(string text)
    {
        RuleCondition parsed;
        try
        {
            parsed = RuleCondition.Parse(text);
        }
        catch (RuleSyntaxException e)
        {
            return e.Column >= 1 && e.Column <= text.Length + 1 && e.Message.StartsWith($"column {e.Column}: ", StringComparison.Ordinal);
        }
        // Whatever parsed must evaluate, on an empty request and a full one.
        parsed.Evaluate(new RoutingContext());
        parsed.Evaluate(new RoutingContext(() => new PromptAnalysis(0, double.NaN, [])) { Priority = double.NaN, Agent = "", Labels = [""], ProviderStatus = _ => null! });
        return parsed.Text == text;
    }

    [Fact]
    public void Generated_conditions_cover_the_language()
    {
        // The properties above are only as good as what they generate: make sure it reaches every construct.
        var sample = Gen.Sample(Gen.Sized(size => Condition(Math.Min(size, 6))), 300);
        var all = string.Join(" ", sample);

        foreach (var construct in new[] { " and ", " or ", "not ", " in ", " contains ", " starts_with ", " ends_with ", "==", "!=", "<=", ">", "[", "metadata[", "provider_status[", "null", "-" })
            all.ShouldContain(construct);
    }

    /// <summary>
    /// Random sequences of the language's own tokens, with now and then a near-miss (`=`, `10k`, an unclosed
    /// quote): these reach far deeper into the parser than random characters, which mostly stop at the first one.
    /// </summary>
    private static readonly Gen<string> TokenSoup =
        from count in Gen.Choose(1, 12)
        from tokens in Gen.ArrayOf(Gen.Frequency(
            (12, Gen.Elements(
                "priority", "hour", "labels", "metadata", "provider_status", "agent", "has_tools", "==", "!=", "<", "<=", ">", ">=", "!", "&&", "||",
                "and", "or", "not", "in", "contains", "starts_with", "ends_with", "true", "false", "null", "NOT", "And",
                "(", "(", ")", ")", "[", "]", ",", "-", "0", "1.5", "-2", "'a'", "\"b\"", "'it\\'s'", "''")),
            (1, Gen.Elements("priorty", "x", "startswith", "=", "<>", "&", "|", "+", "10k", "1.", "'open", "\"", "\\", "'\\n'", "é", "🚀", "."))), count)
        from separators in Gen.ArrayOf(Gen.Elements("", " ", " ", " ", "  ", "\t"), count)
        select string.Concat(tokens.Select((t, i) => t + separators[i]));

    // A grammar of well-formed conditions. Each test puts on either side of its operator only what that operator
    // accepts (no number on the right of `in`, no null in an ordering), so every one must parse.
    private static Gen<string> Condition(int size) => size <= 1
        ? Test
        : Gen.Frequency(
            (3, Test),
            (2, from a in Condition(size / 2) from op in Gen.Elements("and", "or", "&&", "||", "AND") from b in Condition(size / 2) select $"{a} {op} {b}"),
            (1, Condition(size - 1).Select(c => $"not {c}")),
            (1, Condition(size - 1).Select(c => $"!({c})")),
            (1, Condition(size - 1).Select(c => $"({c})")));

    private static readonly Gen<string> FieldNames = Gen.Elements(Fields);

    private static readonly Gen<string> TextLiterals =
        from text in Texts from quote in Gen.Elements('\'', '"') select Quote(text, quote);

    private static readonly Gen<string> MapReads =
        from map in Gen.Elements("metadata", "provider_status")
        from key in Gen.Frequency((4, TextLiterals), (1, Gen.Elements("agent", "stage", "hour", "labels")))
        select $"{map}[{key}]";

    private static readonly Gen<string> NumberLiterals =
        from whole in Gen.Choose(-1000, 1000) from fraction in Gen.Elements("", ".5", ".25", ".0") select whole + fraction;

    private static readonly Gen<string> Scalars = Gen.OneOf(NumberLiterals, TextLiterals, Gen.Elements("true", "false", "TRUE", "null"));

    private static readonly Gen<string> Lists =
        from count in Gen.Choose(0, 4) from items in Gen.ArrayOf(Scalars, count) select $"[{string.Join(", ", items)}]";

    private static readonly Gen<string> Reads = Gen.Frequency((3, FieldNames), (1, MapReads));

    private static readonly Gen<string> AnyOperand = Gen.OneOf(Reads, Scalars, Lists);

    private static readonly Gen<string> Test = Gen.OneOf(
        AnyOperand,
        from left in AnyOperand from op in Gen.Elements("==", "!=") from right in AnyOperand select $"{left} {op} {right}",
        from left in Gen.OneOf(Reads, NumberLiterals, TextLiterals) from op in Gen.Elements("<", "<=", ">", ">=")
        from right in Gen.OneOf(Reads, NumberLiterals, TextLiterals) select $"{left} {op} {right}",
        from item in Gen.OneOf(Reads, NumberLiterals, TextLiterals, Gen.Elements("true", "false")) from not in Gen.Elements("", "not ")
        from container in Gen.OneOf(Reads, TextLiterals, Lists) select $"{item} {not}in {container}",
        from container in Gen.OneOf(Reads, TextLiterals, Lists) from not in Gen.Elements("", "not ")
        from item in Gen.OneOf(Reads, NumberLiterals, TextLiterals, Gen.Elements("true")) select $"{container} {not}contains {item}",
        from left in Gen.OneOf(Reads, TextLiterals) from op in Gen.Elements("starts_with", "ends_with", "STARTS_WITH")
        from right in Gen.OneOf(Reads, TextLiterals) select $"{left} {op} {right}");

    private static string Quote(string text, char quote) =>
        quote + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(quote.ToString(), "\\" + quote, StringComparison.Ordinal) + quote;

    /// <summary>A generated request; a record so a failing case prints what it was.</summary>
    private sealed record ContextSpec(
        double? Priority, string[] Labels, string? Agent, string? Stage, string? Workflow, string? Id, string? User, int Hour, string? Weekday,
        int Tokens, double? Complexity, int RetryCount, bool HasTools, bool HasImages, string? Model, (string Key, string Value)[] Metadata,
        (string Provider, string? Status)[]? Statuses)
    {
        public RoutingContext Build()
        {
            var metadata = new Dictionary<string, string>();
            foreach (var (key, value) in Metadata) metadata[key] = value;
            var statuses = Statuses?.GroupBy(s => s.Provider).ToDictionary(g => g.Key, g => g.First().Status);
            // A null complexity stands for a scorer that fails, a null status list for a health lookup that does.
            return new RoutingContext(() => new PromptAnalysis(Tokens, Complexity ?? throw new InvalidOperationException("scorer failed"), []))
            {
                Priority = Priority,
                Labels = Labels,
                Agent = Agent,
                Stage = Stage,
                Workflow = Workflow,
                Id = Id,
                User = User,
                Hour = Hour,
                Weekday = Weekday!,
                RetryCount = RetryCount,
                HasTools = HasTools,
                HasImages = HasImages,
                Model = Model!,
                Metadata = metadata,
                ProviderStatus = statuses is null ? _ => throw new InvalidOperationException("health lookup failed") : name => statuses.GetValueOrDefault(name)!,
            };
        }

        public override string ToString() =>
            $"priority={Priority} labels=[{string.Join("|", Labels)}] agent={Agent} stage={Stage} workflow={Workflow} id={Id} user={User} hour={Hour} " +
            $"weekday={Weekday} tokens={Tokens} complexity={Complexity} retry_count={RetryCount} has_tools={HasTools} has_images={HasImages} model={Model} " +
            $"metadata={{{string.Join(", ", Metadata.Select(m => m.Key + ": " + m.Value))}}} statuses={(Statuses is null ? "throws" : string.Join(", ", Statuses.Select(s => s.Provider + ": " + s.Status)))}";
    }
}
