using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Providers.Anthropic;
using Switchboard.Routing;
using Xunit;

namespace Switchboard.Core.Tests.Routing;

public sealed class PromptAnalyzerTests
{
    private const string Greeting = "Hi! How are you today?";

    private const string MidTask = """
        Here is my Python function. Refactor it so it is easier to read: first split the parsing from the file handling, then add type hints.
        ```python
        def load(path):
            with open(path) as f:
                rows = [line.split(',') for line in f]
            return {r[0]: float(r[1]) for r in rows}
        ```
        """;

    private const string DesignTask = """
        We need to redesign our order service so it scales past one database. Give me a comprehensive architecture for a distributed
        version, with the trade-offs of each choice, how to keep concurrency bugs out of the payment path, and a migration plan.

        1. Describe the target architecture and the data model.
        2. Then show how the order aggregate is split, with code.
        3. Finally list the security and fault tolerance concerns.

        The current repository:
        ```csharp
        public sealed class OrderRepository(DbConnection db)
        {
            public async Task<Order?> Find(Guid id) => await db.QuerySingleOrDefaultAsync<Order>("select * from orders where id = @id", new { id });
            public async Task Save(Order order) { await db.ExecuteAsync("update orders set state = @State where id = @Id", order); }
        }
        ```
        And the handler that calls it:
        ```csharp
        public async Task Handle(PayOrder command) { var order = await repository.Find(command.OrderId); order!.Pay(command.Amount); await repository.Save(order); }
        ```
        """;

    private static PromptAnalysis Analyze(string body) => PromptAnalyzer.Analyze(Encoding.UTF8.GetBytes(body));

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    /// <summary>An OpenAI chat completions request: a system message, the user's text, and options.</summary>
    private static string OpenAi(string user, string? system = null, int tools = 0, int? maxTokens = null, int earlierTurns = 0)
    {
        var json = new StringBuilder("{\"model\":\"gpt-5\",\"messages\":[");
        if (system is not null) json.Append("{\"role\":\"system\",\"content\":").Append(Quote(system)).Append("},");
        for (var i = 0; i < earlierTurns; i++)
            json.Append("{\"role\":\"user\",\"content\":\"And the next one?\"},{\"role\":\"assistant\",\"content\":\"Done.\"},");
        json.Append("{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":").Append(Quote(user)).Append("}]}]");
        if (tools > 0)
            json.Append(",\"tools\":[").AppendJoin(',', Enumerable.Range(0, tools).Select(i =>
                $"{{\"type\":\"function\",\"function\":{{\"name\":\"tool_{i}\",\"parameters\":{{\"type\":\"object\"}}}}}}")).Append(']');
        if (maxTokens is not null) json.Append(",\"max_completion_tokens\":").Append(maxTokens);
        return json.Append('}').ToString();
    }

    /// <summary>The same request in the Anthropic Messages shape.</summary>
    private static string Anthropic(string user, string? system = null, int tools = 0, int? maxTokens = null)
    {
        var json = new StringBuilder("{\"model\":\"claude-sonnet-4-5\"");
        if (system is not null) json.Append(",\"system\":").Append(Quote(system));
        json.Append(",\"messages\":[{\"role\":\"user\",\"content\":").Append(Quote(user)).Append("}]");
        if (tools > 0)
            json.Append(",\"tools\":[").AppendJoin(',', Enumerable.Range(0, tools).Select(i =>
                $"{{\"name\":\"tool_{i}\",\"input_schema\":{{\"type\":\"object\"}}}}")).Append(']');
        json.Append(",\"max_tokens\":").Append(maxTokens ?? 1024);
        return json.Append('}').ToString();
    }

    [Fact]
    public void A_short_greeting_scores_low()
    {
        var analysis = Analyze(OpenAi(Greeting));

        analysis.Complexity.ShouldBeLessThan(3);
        analysis.Complexity.ShouldBe(0);
        analysis.Reasons.ShouldBeEmpty();
        analysis.EstimatedTokens.ShouldBeInRange(8, 20);
    }

    [Fact]
    public void A_refactoring_question_with_a_little_code_scores_in_the_middle()
    {
        var analysis = Analyze(OpenAi(MidTask, system: "You are a helpful assistant."));

        analysis.Complexity.ShouldBeInRange(3, 6.9);
    }

    [Fact]
    public void A_design_question_with_code_scores_high()
    {
        var analysis = Analyze(OpenAi(DesignTask, system: "You are a senior engineer.", maxTokens: 8000));

        analysis.Complexity.ShouldBeGreaterThanOrEqualTo(7);
        analysis.Complexity.ShouldBeLessThanOrEqualTo(10);
    }

    [Fact]
    public void The_reasons_name_what_counted_and_its_weight()
    {
        var analysis = Analyze(OpenAi(MidTask));

        analysis.Reasons.ShouldBe(
        [
            "1 code block +1",
            "coding terms: function +0.5",
            "architecture terms: refactor +0.5",
            "multi-step: \"first\", \"then\" +1",
        ]);
        analysis.Complexity.ShouldBe(3);
    }

    [Fact]
    public void The_reasons_of_a_design_task_show_every_signal()
    {
        var analysis = Analyze(OpenAi(DesignTask, maxTokens: 8000, tools: 4));

        analysis.Reasons.ShouldBe(
        [
            "2 code blocks +1.25",
            "coding terms: class, code, debug +1",
            "architecture terms: architecture, trade-off, distributed, concurrency, migration, security, fault tolerance, schema +2.5",
            "multi-step: \"then\", \"finally\", 3-item list +2",
            "asks for a long answer (max_tokens 8000) +1",
            "asks for depth: \"comprehensive\" +0.5",
            "4 tools +1",
        ]);
        analysis.Complexity.ShouldBe(9.3);
    }

    [Fact]
    public void The_anthropic_and_openai_shapes_of_a_prompt_score_the_same()
    {
        foreach (var (task, maxTokens) in new[] { (Greeting, 1024), (MidTask, 1024), (DesignTask, 8000) })
        {
            var openAi = Analyze(OpenAi(task, system: "You are a careful engineer.", tools: 2, maxTokens: maxTokens));
            var anthropic = Analyze(Anthropic(task, system: "You are a careful engineer.", tools: 2, maxTokens: maxTokens));

            anthropic.Complexity.ShouldBe(openAi.Complexity);
            anthropic.Reasons.ShouldBe(openAi.Reasons);
            // OpenAI's shape wraps the same text in a little more JSON (the system message, "function" around each tool).
            anthropic.EstimatedTokens.ShouldBeInRange(openAi.EstimatedTokens - 25, openAi.EstimatedTokens);
        }
    }

    [Fact]
    public void The_token_estimate_is_the_one_count_tokens_answers()
    {
        var body = Encoding.UTF8.GetBytes(Anthropic(DesignTask, system: "You are a careful engineer.", tools: 3));

        PromptAnalyzer.Analyze(body).EstimatedTokens.ShouldBe(AnthropicTokenEstimator.Estimate(body));
    }

    [Fact]
    public void Length_counts_the_whole_prompt()
    {
        var longSystem = string.Concat(Enumerable.Repeat("Answer in plain words and keep to the facts you were given. ", 150));

        var analysis = Analyze(OpenAi(Greeting, system: longSystem));

        analysis.EstimatedTokens.ShouldBeInRange(2000, 8000);
        analysis.Reasons.ShouldBe([$"long prompt ({analysis.EstimatedTokens:N0} tokens) +2"]);
        analysis.Complexity.ShouldBe(2);
    }

    [Fact]
    public void Words_in_the_system_prompt_or_earlier_turns_are_not_the_task()
    {
        var body = """
            {"model":"m","messages":[
              {"role":"system","content":"You design distributed architecture and refactor code, step by step."},
              {"role":"user","content":"Design a comprehensive migration plan."},
              {"role":"assistant","content":"Here it is."},
              {"role":"user","content":"Thanks!"}]}
            """;

        Analyze(body).Complexity.ShouldBe(0);
    }

    [Fact]
    public void A_turn_of_tool_results_is_not_the_task_in_either_shape()
    {
        const string toolOutput = "```\\nstack trace ... refactor design architecture\\n```";
        var anthropic = Analyze($$$"""
            {"model":"m","max_tokens":100,"messages":[
              {"role":"user","content":"Refactor the parser."},
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"read","input":{"path":"parser.py"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"{{{toolOutput}}}"}]}]}
            """);
        var openAi = Analyze($$$"""
            {"model":"m","messages":[
              {"role":"user","content":"Refactor the parser."},
              {"role":"assistant","content":null,"tool_calls":[{"id":"t1","type":"function","function":{"name":"read","arguments":"{\"path\":\"parser.py\"}"}}]},
              {"role":"tool","tool_call_id":"t1","content":"{{{toolOutput}}}"}]}
            """);

        anthropic.Reasons.ShouldBe(["architecture terms: refactor +0.5"]);
        openAi.Reasons.ShouldBe(anthropic.Reasons);
    }

    [Fact]
    public void Tools_and_a_long_conversation_raise_the_score()
    {
        var plain = Analyze(OpenAi(MidTask)).Complexity;

        Analyze(OpenAi(MidTask, tools: 2)).Complexity.ShouldBe(plain + 0.5);
        Analyze(OpenAi(MidTask, tools: 6)).Complexity.ShouldBe(plain + 1);
        Analyze(OpenAi(MidTask, earlierTurns: 3)).Complexity.ShouldBe(plain + 0.5);
        var deep = Analyze(OpenAi(MidTask, earlierTurns: 6));
        deep.Complexity.ShouldBe(plain + 1);
        deep.Reasons.ShouldContain("13 turns +1");
    }

    [Fact]
    public void Asking_for_a_long_answer_raises_the_score()
    {
        Analyze(OpenAi(Greeting, maxTokens: 1000)).Complexity.ShouldBe(0);
        Analyze(OpenAi(Greeting, maxTokens: 16000)).Reasons.ShouldBe(["asks for a long answer (max_tokens 16000) +1"]);
        Analyze(OpenAi("Explain it in detail, end-to-end.")).Reasons.ShouldBe(["asks for depth: \"in detail\", \"end-to-end\" +1"]);
    }

    [Fact]
    public void The_score_is_never_above_ten()
    {
        var everything = string.Concat(Enumerable.Repeat(DesignTask + "\nImplement the algorithm in detail, production-ready, end-to-end, next steps after that.\n", 20));

        var analysis = Analyze(OpenAi(everything, tools: 12, maxTokens: 32000, earlierTurns: 10));

        analysis.Complexity.ShouldBe(10);
        analysis.Reasons.Count.ShouldBe(9);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":""}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":null}]}""")]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"messages":[{"role":"assistant","content":"design architecture"}]}""")]
    public void Nothing_to_read_scores_zero(string body)
    {
        var analysis = Analyze(body);

        analysis.Complexity.ShouldBe(0);
        analysis.Reasons.ShouldBeEmpty();
    }

    [Fact]
    public void Terms_match_whole_words_in_any_case_but_not_inside_other_words()
    {
        Analyze(OpenAi("THEN we DESIGN it.")).Reasons.ShouldBe(["architecture terms: design +0.5", "multi-step: \"then\" +0.5"]);
        Analyze(OpenAi("Thence the redesigned, undistributed nextgen code.")).Reasons.ShouldBe(["coding terms: code +0.5"]);
    }

    [Fact]
    public void Escaped_text_is_read_for_what_it_says()
    {
        // System.Text.Json's default encoder sends backticks and angle brackets as \u escapes, and newlines as \n.
        var body = """{"model":"m","messages":[{"role":"user","content":"Steps:\n1. Parse\n2. Check\n3. Store\n\u0060\u0060\u0060\nx\n\u0060\u0060\u0060"}]}""";

        Analyze(body).Reasons.ShouldBe(["1 code block +1", "multi-step: \"step\", 3-item list +1.5"]);
    }

    [Fact]
    public void Code_without_fences_counts_by_its_punctuation()
    {
        const string code = "for (int i = 0; i < n; i++) { total += values[i]; } if (total > limit) { return Clamp(total); } var x = new[] { 1, 2 };";

        Analyze(OpenAi("Why is this slow? " + code)).Reasons.ShouldContain(r => r.StartsWith("code-like text (", StringComparison.Ordinal) && r.EndsWith("% symbols) +1", StringComparison.Ordinal));
        Analyze(OpenAi(string.Concat(Enumerable.Repeat("A plain question about the weather (and the sea) in late May. ", 4)))).Reasons.ShouldBeEmpty();
    }

    [Fact]
    public void Image_parts_count_as_tokens_and_do_not_trip_the_analysis()
    {
        var data = "data:image/png;base64," + new string('A', 40_000);
        var openAi = Analyze($$$"""
            {"model":"gpt-5","messages":[{"role":"user","content":[
              {"type":"text","text":"What is in this picture?"},
              {"type":"image_url","image_url":{"url":"{{{data}}}","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}
            """);
        var anthropic = Analyze($$$"""
            {"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{new string('A', 40_000)}}}"}},
              {"type":"text","text":"What is in this picture?"}]}]}
            """);

        openAi.EstimatedTokens.ShouldBeInRange(PromptScanner.PerMedia, PromptScanner.PerMedia + 60);
        anthropic.EstimatedTokens.ShouldBeInRange(PromptScanner.PerMedia, PromptScanner.PerMedia + 40);
        openAi.Complexity.ShouldBe(1);
        openAi.Reasons.ShouldBe([$"long prompt ({openAi.EstimatedTokens:N0} tokens) +1"]);
        anthropic.Reasons.ShouldBe([$"long prompt ({anthropic.EstimatedTokens:N0} tokens) +1"]);
    }

    [Theory]
    [InlineData("", "The request body is empty")]
    [InlineData("  \n", "The request body is empty")]
    [InlineData("{", "The request body is not valid JSON")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"hi"}]} x""", "The request body is not valid JSON")]
    [InlineData("[]", "The request body must be a JSON object, not an array")]
    [InlineData("""{"model":"m","messages":"hi"}""", "'messages' must be an array of messages, not a string")]
    public void A_body_that_is_not_a_request_is_a_clear_400(string body, string message)
    {
        var error = Should.Throw<SwitchboardException>(() => Analyze(body));

        error.StatusCode.ShouldBe(400);
        error.Message.ShouldStartWith(message);
    }
}
