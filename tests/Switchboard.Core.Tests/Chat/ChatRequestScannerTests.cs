using System.Text;
using Shouldly;
using Switchboard.Chat;
using Xunit;

namespace Switchboard.Core.Tests.Chat;

public sealed class ChatRequestScannerTests
{
    private static ChatRequestEnvelope Scan(string json) => ChatRequestScanner.Scan(Encoding.UTF8.GetBytes(json));

    private static SwitchboardException Fails(string json) => Should.Throw<SwitchboardException>(() => Scan(json));

    [Fact]
    public void Reads_what_routing_needs_without_deserializing()
    {
        var envelope = Scan("""
            {"model": "gpt-4o", "stream": true, "stream_options": {"include_usage": true},
             "messages": [{"role": "system", "content": "be brief"},
                          {"role": "user", "content": [{"type": "text", "text": "what is this?"}, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}],
             "tools": [{"type": "function", "function": {"name": "f", "parameters": {}}}]}
            """);

        envelope.Model.ShouldBe("gpt-4o");
        envelope.Stream.ShouldBeTrue();
        envelope.IncludeUsage.ShouldBe(true);
        envelope.MessageCount.ShouldBe(2);
        envelope.HasImages.ShouldBeTrue();
        envelope.HasTools.ShouldBeTrue();
        envelope.Properties.Count.ShouldBe(5);
    }

    [Fact]
    public void Empty_tools_and_text_only_content_are_not_tools_or_images()
    {
        var envelope = Scan("""{"model":"m","tools":[],"messages":[{"role":"user","content":[{"type":"text","text":"image_url"}]}]}""");

        envelope.HasTools.ShouldBeFalse();
        envelope.HasImages.ShouldBeFalse();
        envelope.Stream.ShouldBeFalse();
        envelope.IncludeUsage.ShouldBeNull();
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("{\"model\": \"gpt-4o\",", "not valid JSON")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} trailing", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object, not an array")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'model' is required")]
    [InlineData("{\"model\":42,\"messages\":[]}", "'model' must be a non-empty string")]
    [InlineData("{\"model\":\"\",\"messages\":[]}", "'model' must be a non-empty string")]
    [InlineData("{\"model\":\"m\"}", "'messages' is required")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "'messages' is required and must hold at least one message")]
    [InlineData("{\"model\":\"m\",\"messages\":\"hi\"}", "'messages' must be an array of messages, not a string")]
    [InlineData("{\"model\":\"m\",\"messages\":[\"hi\"]}", "'messages[0]' must be an object")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}", "messages[0] has no \"role\"")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages[0].role must be one of")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", "'messages[0].content' must be a string or an array")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[\"x\"]}]}", "'messages[0].content[0]' must be an object")]
    [InlineData("{\"model\":\"m\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'temperature' must be a number, not a string")]
    [InlineData("{\"model\":\"m\",\"top_p\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'top_p' must be a number, not a boolean")]
    [InlineData("{\"model\":\"m\",\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'max_tokens' must be a whole number")]
    [InlineData("{\"model\":\"m\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'stream' must be true or false")]
    [InlineData("{\"model\":\"m\",\"stream_options\":{\"include_usage\":1},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'stream_options.include_usage' must be true or false")]
    [InlineData("{\"model\":\"m\",\"tools\":{},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'tools' must be an array")]
    [InlineData("{\"model\":\"m\",\"stop\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'stop' must be a string or an array")]
    [InlineData("{\"model\":\"m\",\"tool_choice\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'tool_choice' must be")]
    [InlineData("{\"model\":\"m\",\"metadata\":[],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'metadata' must be an object")]
    [InlineData("{\"model\":\"m\",\"user\":1,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "'user' must be a string")]
    public void Bad_requests_get_a_400_that_says_what_to_fix(string json, string message)
    {
        var error = Fails(json);

        error.StatusCode.ShouldBe(400);
        error.Category.ShouldBe(ErrorCategory.BadRequest);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void The_param_names_the_field_at_fault()
    {
        Fails("""{"model":"m","temperature":"x","messages":[{"role":"user","content":"hi"}]}""").Param.ShouldBe("temperature");
        Fails("""{"model":"m","messages":[{"role":"bot","content":"hi"}]}""").Param.ShouldBe("messages[0].role");
    }

    [Fact]
    public void Nulls_are_accepted_for_optional_fields()
    {
        var envelope = Scan("""{"model":"m","temperature":null,"stream":null,"tools":null,"stop":null,"messages":[{"role":"assistant","content":null,"tool_calls":[]}]}""");

        envelope.Stream.ShouldBeFalse();
        envelope.HasTools.ShouldBeFalse();
    }
}
