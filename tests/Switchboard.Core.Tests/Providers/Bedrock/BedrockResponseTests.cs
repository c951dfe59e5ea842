using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Bedrock;
using Switchboard.Testing;
using Switchboard.Usage;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Bedrock;

/// <summary>
/// Whole Converse answers read as canonical responses. Bodies are answers Bedrock sent, as recorded in github.com/vercel/ai,
/// packages/amazon-bedrock/src/__fixtures__ (issue-17267-parallel-tool-calls.json, amazon-bedrock-reasoning.json), and the
/// user guide's top_song tool-use example.
/// </summary>
public sealed class BedrockResponseTests
{
    [Fact]
    public void A_text_answer_becomes_an_assistant_message_with_its_usage()
    {
        var response = Read("""
            {"metrics":{"latencyMs":1175},
             "output":{"message":{"content":[{"text":"Here is a list of 3 pop songs by artists from the United Kingdom:"}],"role":"assistant"}},
             "stopReason":"end_turn",
             "usage":{"inputTokens":125,"outputTokens":60,"totalTokens":185}}
            """);

        var choice = response.Choices.ShouldHaveSingleItem();
        choice.Message.Role.ShouldBe(ChatRoles.Assistant);
        choice.Message.Content!.Text.ShouldBe("Here is a list of 3 pop songs by artists from the United Kingdom:");
        choice.Message.ToolCalls.ShouldBeNull();
        choice.FinishReason.ShouldBe(FinishReasons.Stop);
        response.Usage!.PromptTokens.ShouldBe(125);
        response.Usage.CompletionTokens.ShouldBe(60);
        response.Usage.TotalTokens.ShouldBe(185);
        response.Object.ShouldBe("chat.completion");
        response.Id.ShouldStartWith("chatcmpl-bedrock-");
        response.Created.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());
    }

    [Fact]
    public void A_tool_use_becomes_a_tool_call_whose_arguments_are_its_input()
    {
        var response = Read("""
            {"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"top_song","input":{"sign":"WZPZ"}}}]}},
             "stopReason":"tool_use","usage":{"inputTokens":375,"outputTokens":36,"totalTokens":411},"metrics":{"latencyMs":2325}}
            """);

        var choice = response.Choices.ShouldHaveSingleItem();
        choice.FinishReason.ShouldBe(FinishReasons.ToolCalls);
        choice.Message.Content.ShouldBeNull();
        var call = choice.Message.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe("tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        call.Type.ShouldBe("function");
        call.Function.Name.ShouldBe("top_song");
        call.Function.Arguments.ShouldBe("""{"sign":"WZPZ"}""");
    }

    [Fact]
    public void Parallel_tool_uses_become_parallel_tool_calls_after_the_text()
    {
        var response = Read("""
            {
              "metrics": {"latencyMs": 2192},
              "output": {"message": {"content": [
                {"text": "Sure! I'll look up both values simultaneously right away!"},
                {"toolUse": {"input": {"ref": "R1"}, "name": "get_resistor_value", "toolUseId": "tooluse_hr5juciYZJwUHpRczsw13R", "type": "tool_use"}},
                {"toolUse": {"input": {"ref": "C1"}, "name": "get_capacitor_value", "toolUseId": "tooluse_AZHw3Ym0S07qOv5NlXj9iJ", "type": "tool_use"}}
              ], "role": "assistant"}},
              "stopReason": "tool_use",
              "usage": {"cacheReadInputTokenCount": 0, "cacheReadInputTokens": 0, "cacheWriteInputTokenCount": 0, "cacheWriteInputTokens": 0,
                        "inputTokens": 694, "outputTokens": 110, "serverToolUsage": {}, "totalTokens": 804}
            }
            """);

        var message = response.Choices.ShouldHaveSingleItem().Message;
        message.Content!.Text.ShouldBe("Sure! I'll look up both values simultaneously right away!");
        message.ToolCalls!.Select(c => (c.Id, c.Function.Name)).ShouldBe(
            [("tooluse_hr5juciYZJwUHpRczsw13R", "get_resistor_value"), ("tooluse_AZHw3Ym0S07qOv5NlXj9iJ", "get_capacitor_value")]);
        JsonDocument.Parse(message.ToolCalls![0].Function.Arguments!).RootElement.GetProperty("ref").GetString().ShouldBe("R1");
        JsonDocument.Parse(message.ToolCalls![1].Function.Arguments!).RootElement.GetProperty("ref").GetString().ShouldBe("C1");
        response.Usage!.PromptTokens.ShouldBe(694);
    }

    [Fact]
    public void Reasoning_content_becomes_reasoning_content_beside_the_text()
    {
        var response = Read("""
            {"metrics":{"latencyMs":2202},"output":{"message":{"content":[
              {"reasoningContent":{"reasoningText":{"signature":"EvYBCkgICxABGAIqQA9E9VC377UnbjdfXCw4RwQaaIXsqocZKzI3WwWtXT","text":"Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r's."}}},
              {"text":"There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y"}],"role":"assistant"}},
             "stopReason":"end_turn","usage":{"cacheReadInputTokens":0,"cacheWriteInputTokens":0,"inputTokens":51,"outputTokens":78,"serverToolUsage":{},"totalTokens":129}}
            """);

        var message = response.Choices.ShouldHaveSingleItem().Message;
        message.Content!.Text.ShouldBe("There are **3** r's in \"strawberry\":\n\n1. st**r**awbe**r****r**y");
        message.AdditionalProperties![BedrockResponseReader.ReasoningProperty].GetString()
            .ShouldBe("Let me count the r's in \"strawberry\":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r's.");
    }

    [Fact]
    public void Usage_counts_cache_reads_and_writes_into_the_whole_prompt()
    {
        var response = Read("""
            {"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":12,"cacheReadInputTokens":1500,"cacheWriteInputTokens":300,"outputTokens":10,"totalTokens":1822}}
            """);

        var usage = response.Usage!;
        usage.PromptTokens.ShouldBe(1812);
        usage.CompletionTokens.ShouldBe(10);
        usage.TotalTokens.ShouldBe(1822);
        usage.PromptTokensDetails!.CachedTokens.ShouldBe(1500);
        usage.PromptTokensDetails!.CacheCreationTokens.ShouldBe(300);
        ChatUsageMapping.ToTokenUsage(usage).ShouldBe(new TokenUsage(1812, 10, CachedInput: 1500, CacheWrite: 300));
    }

    [Theory]
    [InlineData("end_turn", FinishReasons.Stop)]
    [InlineData("stop_sequence", FinishReasons.Stop)]
    [InlineData("max_tokens", FinishReasons.Length)]
    [InlineData("tool_use", FinishReasons.ToolCalls)]
    [InlineData("guardrail_intervened", FinishReasons.ContentFilter)]
    [InlineData("content_filtered", FinishReasons.ContentFilter)]
    public void Stop_reasons_become_canonical_finish_reasons(string stopReason, string finishReason)
    {
        var response = Read($$$"""{"output":{"message":{"role":"assistant","content":[{"text":"x"}]}},"stopReason":"{{{stopReason}}}","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}""");

        response.Choices[0].FinishReason.ShouldBe(finishReason);
    }

    [Fact]
    public void Text_blocks_are_joined_as_a_stream_would_join_them_and_unknown_blocks_passed_over()
    {
        var response = Read("""
            {"output":{"message":{"role":"assistant","content":[{"text":"One. "},{"citationsContent":{"citations":[]}},{"text":"Two."}]}},"stopReason":"end_turn"}
            """);

        response.Choices[0].Message.Content!.Text.ShouldBe("One. Two.");
        response.Usage.ShouldBeNull();
    }

    [Fact]
    public void The_canonical_answer_is_written_as_openai_json()
    {
        var response = Read("""
            {"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"top_song","input":{"sign":"WZPZ"}}}]}},"stopReason":"tool_use",
             "usage":{"inputTokens":12,"cacheReadInputTokens":4,"cacheWriteInputTokens":2,"outputTokens":10,"totalTokens":28}}
            """);

        var json = JsonSerializer.Serialize(response, ChatJsonContext.Default.ChatResponse);

        json.ShouldContain("\"tool_calls\":[{\"id\":\"t1\",\"type\":\"function\",\"function\":{\"name\":\"top_song\",\"arguments\":\"{\\u0022sign\\u0022:\\u0022WZPZ\\u0022}\"}}]");
        json.ShouldContain("\"usage\":{\"prompt_tokens\":18,\"completion_tokens\":10,\"total_tokens\":28,\"prompt_tokens_details\":{\"cached_tokens\":4,\"cache_creation_tokens\":2}");
    }

    [Theory]
    [InlineData("""{"output":{"message":{"role":"assistant","content":[{"text":"Hel""")]
    [InlineData("""{"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}""")]
    [InlineData("""{"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":5,"name":"f","input":{}}}]}}}""")]
    [InlineData("""[]""")]
    public void A_malformed_answer_throws_a_json_exception(string body)
    {
        Should.Throw<JsonException>(() => Read(body));
    }

    private static ChatResponse Read(string body) =>
        new BedrockAdapter(new ManualTimeProvider()).ReadResponse(Encoding.UTF8.GetBytes(body));
}
