using System.Buffers;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicResponseWriterTests
{
    private static string Write(string openAiResponse)
    {
        var response = JsonSerializer.Deserialize(openAiResponse, ChatJsonContext.Default.ChatResponse)!;
        var output = new ArrayBufferWriter<byte>();
        AnthropicClientDialect.Instance.WriteResponse(response, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void A_text_completion_becomes_an_anthropic_message_with_its_usage_split_by_cache()
    {
        var message = Write("""
            {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello there, how may I assist you today?","refusal":null},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}
            """);

        message.ShouldBe(
            """{"id":"msg_B9MBs8CjcvOU2jLn4n570S5qMJKcT","type":"message","role":"assistant","model":"gpt-4o-mini","content":[{"type":"text","text":"Hello there, how may I assist you today?"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":15,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":10,"output_tokens_details":{"thinking_tokens":2}}}""");
    }

    [Fact]
    public void Tool_calls_become_tool_use_blocks_with_the_arguments_as_the_input_object()
    {
        using var message = JsonDocument.Parse(Write("""
            {"id":"chatcmpl-abc123","object":"chat.completion","created":1699896916,"model":"gpt-4o-mini",
             "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
               {"id":"call_abc123","type":"function","function":{"name":"get_current_weather","arguments":"{\n\"location\": \"Boston, MA\"\n}"}},
               {"id":"call_def456","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
            """));
        var root = message.RootElement;

        root.GetProperty("stop_reason").GetString().ShouldBe("tool_use");
        root.GetProperty("content").GetRawText().ShouldBe(
            """[{"type":"tool_use","id":"call_abc123","name":"get_current_weather","caller":{"type":"direct"},"input":{"location":"Boston, MA"}},{"type":"tool_use","id":"call_def456","name":"get_time","caller":{"type":"direct"},"input":{}}]""");
    }

    [Theory]
    [InlineData("stop", false, "end_turn")]
    [InlineData("length", false, "max_tokens")]
    [InlineData("tool_calls", true, "tool_use")]
    [InlineData("content_filter", false, "refusal")]
    [InlineData("stop", true, "tool_use")]
    [InlineData(null, false, "end_turn")]
    public void Finish_reasons_become_stop_reasons(string? finish, bool calls, string stopReason)
    {
        var toolCalls = calls ? ""","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]""" : "";
        var finishJson = finish is null ? "null" : $"\"{finish}\"";

        using var message = JsonDocument.Parse(Write(
            $$"""{"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"a"{{toolCalls}}},"finish_reason":{{finishJson}}}]}"""));

        message.RootElement.GetProperty("stop_reason").GetString().ShouldBe(stopReason);
    }

    [Fact]
    public void Reasoning_content_becomes_a_thinking_block_before_the_text()
    {
        using var message = JsonDocument.Parse(Write("""
            {"id":"x","model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant","content":"42","reasoning_content":"Let me think."},"finish_reason":"stop"}]}
            """));

        message.RootElement.GetProperty("content").GetRawText().ShouldBe(
            """[{"type":"thinking","thinking":"Let me think.","signature":""},{"type":"text","text":"42"}]""");
    }

    [Fact]
    public void A_refusal_becomes_refusal_text_and_stop_reason()
    {
        using var message = JsonDocument.Parse(Write("""
            {"id":"x","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}
            """));

        message.RootElement.GetProperty("content")[0].GetProperty("text").GetString().ShouldBe("I can't help with that.");
        message.RootElement.GetProperty("stop_reason").GetString().ShouldBe("refusal");
    }

    [Fact]
    public void Cache_writes_from_an_anthropic_shaped_usage_are_split_back_out()
    {
        using var message = JsonDocument.Parse(Write("""
            {"id":"msg_1","model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"a"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":155,"completion_tokens":15,"total_tokens":170,"prompt_tokens_details":{"cached_tokens":100,"cache_creation_tokens":30}}}
            """));

        message.RootElement.GetProperty("id").GetString().ShouldBe("msg_1");
        message.RootElement.GetProperty("usage").GetRawText().ShouldBe(
            """{"input_tokens":25,"cache_creation_input_tokens":30,"cache_read_input_tokens":100,"output_tokens":15}""");
    }

    [Fact]
    public void Broken_arguments_become_an_empty_input_and_a_missing_call_id_gets_one()
    {
        using var message = JsonDocument.Parse(Write("""
            {"id":"","model":"gemini-2.5-pro","choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]},"finish_reason":"tool_calls"}]}
            """));
        var block = message.RootElement.GetProperty("content")[0];

        message.RootElement.GetProperty("id").GetString().ShouldBe("msg_switchboard");
        block.GetProperty("id").GetString().ShouldBe("toolu_switchboard_0");
        block.GetProperty("input").GetRawText().ShouldBe("{}");
    }

    [Theory]
    [InlineData("msg_01XFDUDYJgAACzvnptvVoYEL", "msg_01XFDUDYJgAACzvnptvVoYEL")]
    [InlineData("chatcmpl-123", "msg_123")]
    [InlineData("gen-1741569952-abc", "msg_gen-1741569952-abc")]
    public void Message_ids_are_derived_from_the_upstreams(string upstream, string id)
    {
        AnthropicResponseWriter.MessageId(upstream).ShouldBe(id);
    }
}
