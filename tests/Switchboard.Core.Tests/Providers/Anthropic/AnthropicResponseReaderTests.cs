using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicResponseReaderTests
{
    private static ChatResponse Read(string body) => AnthropicAdapter.Instance.ReadResponse(Encoding.UTF8.GetBytes(body));

    [Fact]
    public void A_text_message_becomes_a_completion_with_its_id_model_text_and_usage()
    {
        // The API reference's example response.
        var response = Read("""
            {
              "content": [{"text": "Hi! My name is Claude.", "type": "text"}],
              "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
              "model": "claude-sonnet-4-5-20250929",
              "role": "assistant",
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "type": "message",
              "usage": {"input_tokens": 2095, "output_tokens": 503}
            }
            """);

        response.Id.ShouldBe("msg_013Zva2CMHLNnXjNJJKqJ2EF");
        response.Model.ShouldBe("claude-sonnet-4-5-20250929");
        var choice = response.Choices.ShouldHaveSingleItem();
        choice.Message.Role.ShouldBe(ChatRoles.Assistant);
        choice.Message.Content!.Text.ShouldBe("Hi! My name is Claude.");
        choice.Message.ToolCalls.ShouldBeNull();
        choice.FinishReason.ShouldBe(FinishReasons.Stop);
        response.Usage!.PromptTokens.ShouldBe(2095);
        response.Usage.CompletionTokens.ShouldBe(503);
        response.Usage.TotalTokens.ShouldBe(2598);
    }

    [Fact]
    public void Tool_use_blocks_become_tool_calls_with_the_input_as_written_for_arguments()
    {
        // The tool use guide's example response.
        var response = Read("""
            {
              "id": "msg_01Aq9w938a90dw8q",
              "model": "claude-opus-4-1-20250805",
              "stop_reason": "tool_use",
              "role": "assistant",
              "content": [
                {"type": "text", "text": "I'll check the current weather in San Francisco for you."},
                {"type": "tool_use", "id": "toolu_01A09q90qw90lq917835lq9", "name": "get_weather", "input": {"location": "San Francisco, CA", "unit": "celsius"}}
              ]
            }
            """);

        var choice = response.Choices.Single();
        choice.FinishReason.ShouldBe(FinishReasons.ToolCalls);
        choice.Message.Content!.Text.ShouldBe("I'll check the current weather in San Francisco for you.");
        var call = choice.Message.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe("toolu_01A09q90qw90lq917835lq9");
        call.Type.ShouldBe("function");
        call.Function.Name.ShouldBe("get_weather");
        call.Function.Arguments.ShouldBe("""{"location": "San Francisco, CA", "unit": "celsius"}""");
        response.Usage.ShouldBeNull("this example has no usage");
    }

    [Fact]
    public void Parallel_tool_calls_keep_their_order_and_a_turn_of_only_calls_has_null_content()
    {
        var response = Read("""
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_reason":"tool_use","stop_sequence":null,
             "content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"location":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"get_time","input":{}}],
             "usage":{"input_tokens":10,"output_tokens":20}}
            """);

        var message = response.Choices.Single().Message;
        message.Content.ShouldBeNull();
        message.ToolCalls!.Select(c => (c.Id, c.Function.Name, c.Function.Arguments)).ShouldBe(
        [
            ("toolu_1", "get_weather", """{"location":"Paris"}"""),
            ("toolu_2", "get_time", "{}"),
        ]);

        // OpenAI writes a tool-only turn's content as null, never leaves it out.
        JsonSerializer.Serialize(message, ChatJsonContext.Default.ChatMessage).ShouldContain("\"content\":null");
    }

    [Theory]
    [InlineData("end_turn", FinishReasons.Stop)]
    [InlineData("stop_sequence", FinishReasons.Stop)]
    [InlineData("max_tokens", FinishReasons.Length)]
    [InlineData("tool_use", FinishReasons.ToolCalls)]
    [InlineData("refusal", FinishReasons.ContentFilter)]
    [InlineData("pause_turn", FinishReasons.Stop)]
    [InlineData("model_context_window_exceeded", FinishReasons.Length)]
    public void Stop_reasons_become_finish_reasons(string stopReason, string finishReason)
    {
        Read($$"""{"id":"m","model":"x","content":[{"type":"text","text":"a"}],"stop_reason":"{{stopReason}}"}""")
            .Choices.Single().FinishReason.ShouldBe(finishReason);
    }

    [Fact]
    public void Cache_reads_and_writes_count_into_the_prompt_and_are_kept_apart()
    {
        var response = Read("""
            {"id":"m","model":"x","content":[{"type":"text","text":"a"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":25,"cache_creation_input_tokens":30,"cache_read_input_tokens":100,"output_tokens":15,"service_tier":"standard"}}
            """);

        var usage = response.Usage.ShouldNotBeNull();
        usage.PromptTokens.ShouldBe(155);
        usage.CompletionTokens.ShouldBe(15);
        usage.TotalTokens.ShouldBe(170);
        usage.PromptTokensDetails!.CachedTokens.ShouldBe(100);
        usage.PromptTokensDetails.CacheCreationTokens.ShouldBe(30);
        ChatUsageMapping.ToTokenUsage(usage).ShouldBe(new TokenUsage(155, 15, CachedInput: 100, CacheWrite: 30));
    }

    [Fact]
    public void Thinking_becomes_reasoning_content_and_its_signed_blocks_are_kept_whole()
    {
        var response = Read("""
            {"id":"msg_t","type":"message","role":"assistant","model":"claude-sonnet-4-5","stop_reason":"end_turn",
             "content":[
               {"type":"thinking","thinking":"To approach this, let me think about what I know about ordering.","signature":"WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL...."},
               {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpPkNRj2YfWXGmKDxH4mPnZ5sQ7vB5URj"},
               {"type":"text","text":"Based on my analysis..."}],
             "usage":{"input_tokens":50,"output_tokens":100,"output_tokens_details":{"thinking_tokens":60}}}
            """);

        var message = response.Choices.Single().Message;
        message.Content!.Text.ShouldBe("Based on my analysis...");
        message.AdditionalProperties!["reasoning_content"].GetString().ShouldBe("To approach this, let me think about what I know about ordering.");
        var blocks = message.AdditionalProperties["thinking_blocks"];
        blocks.GetArrayLength().ShouldBe(2);
        blocks[0].GetProperty("signature").GetString().ShouldBe("WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL....");
        blocks[1].GetProperty("type").GetString().ShouldBe("redacted_thinking");
        response.Usage!.CompletionTokensDetails!.ReasoningTokens.ShouldBe(60);
    }

    [Fact]
    public void Text_blocks_split_around_citations_are_joined_as_written()
    {
        var response = Read("""
            {"id":"m","model":"x","stop_reason":"end_turn","content":[
              {"type":"text","text":"According to the document, "},
              {"type":"text","text":"the grass is green","citations":[{"type":"char_location","cited_text":"The grass is green.","document_index":0,"start_char_index":0,"end_char_index":20}]},
              {"type":"text","text":"."}]}
            """);

        response.Choices.Single().Message.Content!.Text.ShouldBe("According to the document, the grass is green.");
    }

    [Theory]
    [InlineData("""{"id": "msg_013Zva2CMHLNnXjNJJKqJ2EF", "type": "message", "content": [""")]
    [InlineData("[]")]
    [InlineData("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""")]
    [InlineData("""{"id":"m","content":"text"}""")]
    [InlineData("""{"id":"m","content":[]} {}""")]
    public void A_body_that_is_not_a_message_is_malformed(string body)
    {
        Should.Throw<JsonException>(() => Read(body));
    }
}
