using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicRequestScannerTests
{
    private static ChatRequestEnvelope Scan(string json) => AnthropicClientDialect.Instance.Scan(Encoding.UTF8.GetBytes(json));

    private static SwitchboardException Fails(string json) => Should.Throw<SwitchboardException>(() => Scan(json));

    [Fact]
    public void Reads_what_routing_needs_and_where_each_property_is()
    {
        const string json = """
            {"model": "claude-sonnet-4-5", "max_tokens": 1024, "stream": true,
             "system": [{"type": "text", "text": "You are terse.", "cache_control": {"type": "ephemeral"}}],
             "messages": [
               {"role": "user", "content": [{"type": "text", "text": "What is this?"}, {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}]},
               {"role": "assistant", "content": [{"type": "thinking", "thinking": "hm", "signature": "c2ln"}, {"type": "tool_use", "id": "toolu_1", "name": "look", "input": {}}]},
               {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "a cat"}]}],
             "tools": [{"name": "look", "description": "Look closer", "input_schema": {"type": "object", "properties": {}}}],
             "tool_choice": {"type": "auto", "disable_parallel_tool_use": true},
             "thinking": {"type": "enabled", "budget_tokens": 2048},
             "metadata": {"user_id": "u-1"}, "temperature": 1, "top_k": 40, "stop_sequences": ["END"]}
            """;

        var envelope = Scan(json);

        envelope.Model.ShouldBe("claude-sonnet-4-5");
        envelope.Stream.ShouldBeTrue();
        envelope.HasImages.ShouldBeTrue();
        envelope.HasTools.ShouldBeTrue();
        envelope.MessageCount.ShouldBe(3);
        envelope.IncludeUsage.ShouldBeNull();
        envelope.Properties.Count.ShouldBe(12);
        var model = envelope.Properties[envelope.IndexOf(Encoding.UTF8.GetBytes(json), "model"u8)];
        json[model.ValueStart..model.End].ShouldBe("\"claude-sonnet-4-5\"");
    }

    [Fact]
    public void A_mid_conversation_system_message_is_accepted()
    {
        Scan("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"},{"role":"system","content":[{"type":"text","text":"Now be formal."}]}]}""")
            .MessageCount.ShouldBe(2);
    }

    [Fact]
    public void An_image_inside_a_tool_result_counts_as_an_image()
    {
        Scan("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}]}
            """).HasImages.ShouldBeTrue();
        Scan("""{"model":"m","max_tokens":5,"tools":[],"messages":[{"role":"user","content":"image"}]}""").HasImages.ShouldBeFalse();
    }

    [Fact]
    public void Pass_through_rewrites_only_the_model_leaving_cache_control_and_thinking_blocks_byte_for_byte()
    {
        const string json = """
            {"model":"sonnet-alias",  "max_tokens":1024,"system":[{"type":"text","text":"Be brief","cache_control":{"type":"ephemeral"}}],
             "messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"x","signature":"EqQBCgIYAh=="}]},{"role":"user","content":"Hi"}]}
            """;
        var body = Encoding.UTF8.GetBytes(json);
        var envelope = Scan(json);
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        ChatRequestRewriter.Write(body, envelope, new RequestBodyEdits(Encoding.UTF8.GetBytes("\"claude-sonnet-4-5\"")), output);

        Encoding.UTF8.GetString(output.WrittenSpan).ShouldBe(json.Replace("\"sonnet-alias\"", "\"claude-sonnet-4-5\"", StringComparison.Ordinal));
    }

    private const string Hello = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1]", "must be a JSON object, not an array")]
    [InlineData("{\"max_tokens\":5," + Hello + "}", "'model' is required")]
    [InlineData("{\"model\":7,\"max_tokens\":5," + Hello + "}", "'model' must be a non-empty string")]
    [InlineData("{\"model\":\"m\"," + Hello + "}", "'max_tokens' is required")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":1.5," + Hello + "}", "'max_tokens' must be a whole number")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":\"5\"," + Hello + "}", "'max_tokens' must be a whole number, such as 1024, not a string")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":0," + Hello + "}", "'max_tokens' must be at least 1")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5}", "'messages' is required")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[]}", "must hold at least one message")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":{}}", "'messages' must be an array")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].role must be \"user\" or \"assistant\" (or \"system\"")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"content\":\"x\"}]}", "messages[0] has no \"role\"")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\"}]}", "messages[0] has no \"content\"")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":5}]}", "'messages[0].content' must be a string or an array of content blocks")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[\"x\"]}]}", "'messages[0].content[0]' must be an object")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}", "messages[0].content[0] has no \"type\"")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":[{\"text\":\"x\"}]}]}]}", "messages[0].content[0].content[0] has no \"type\"")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"system\":5," + Hello + "}", "'system' must be a string or an array of text blocks")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"system\":[{\"type\":\"image\"}]," + Hello + "}", "'system[0]' must be a text block")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"stream\":\"yes\"," + Hello + "}", "'stream' must be true or false")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tools\":{}," + Hello + "}", "'tools' must be an array of tools")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"input_schema\":{}}]," + Hello + "}", "tools[0] has no \"name\"")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tools\":[{\"name\":\"f\",\"input_schema\":\"{}\"}]," + Hello + "}", "'tools[0].input_schema' must be a JSON Schema object")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":\"auto\"," + Hello + "}", "'tool_choice' must be an object such as {\"type\": \"auto\"}")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"required\"}," + Hello + "}", "'tool_choice' must be an object")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"tool\"}," + Hello + "}", "must name the tool")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":1}," + Hello + "}", "'tool_choice.disable_parallel_tool_use' must be true or false")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"temperature\":\"hot\"," + Hello + "}", "'temperature' must be a number, not a string")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"top_p\":null," + Hello + "}", "'top_p' must be a number, not null")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"top_k\":0.5," + Hello + "}", "'top_k' must be a whole number")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":\"END\"," + Hello + "}", "'stop_sequences' must be an array of strings")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"stop_sequences\":[1]," + Hello + "}", "'stop_sequences[0]' must be a string")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"metadata\":[]," + Hello + "}", "'metadata' must be an object")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":5,\"thinking\":true," + Hello + "}", "'thinking' must be an object")]
    public void Bad_requests_get_a_400_that_says_what_to_fix(string json, string message)
    {
        var error = Fails(json);

        error.StatusCode.ShouldBe(400);
        error.Category.ShouldBe(ErrorCategory.BadRequest);
        error.Message.ShouldContain(message);
    }
}
