using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Bedrock;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Bedrock;

/// <summary>
/// Canonical (OpenAI chat completions) requests written as Converse bodies, checked against the shapes of the Converse
/// API reference (Message, ContentBlock, ImageBlock, ToolUseBlock, ToolResultBlock, InferenceConfiguration,
/// ToolConfiguration, ToolChoice) and the user guide's top_song tool example.
/// </summary>
public sealed class BedrockRequestTests
{
    private const string Model = FakeBedrockUpstream.ModelId;

    private const string TopSongTool = """
        {"type":"function","function":{"name":"top_song","description":"Get the most popular song played on a radio station.",
         "parameters":{"type":"object","properties":{"sign":{"type":"string","description":"The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP."}},"required":["sign"]}}}
        """;

    [Fact]
    public void A_plain_message_becomes_a_user_turn_with_a_text_block_and_no_model_in_the_body()
    {
        var body = Write("""{"model":"bedrock/x","messages":[{"role":"user","content":"Hello!"}]}""");

        ShouldBeJson(body, """{"messages":[{"role":"user","content":[{"text":"Hello!"}]}]}""");
    }

    [Fact]
    public void System_and_developer_messages_become_the_system_blocks()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"system","content":"You are an app that creates playlists for a radio station."},
              {"role":"developer","content":[{"type":"text","text":"Answer in English."}]},
              {"role":"user","content":"Create a list of 3 pop songs."}]}
            """);

        ShouldBeJson(body, """
            {"messages":[{"role":"user","content":[{"text":"Create a list of 3 pop songs."}]}],
             "system":[{"text":"You are an app that creates playlists for a radio station."},{"text":"Answer in English."}]}
            """);
    }

    [Fact]
    public void Text_and_image_parts_become_text_and_inline_image_blocks()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"What's in this image?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo+/AAA=","detail":"high"}},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQ"}},
              {"type":"image_url","image_url":{"url":"data:image/webp;base64,UklGRg=="}},
              {"type":"image_url","image_url":{"url":"data:image/gif;base64,R0lGODlh"}}]}]}
            """);

        ShouldBeJson(body, """
            {"messages":[{"role":"user","content":[
              {"text":"What's in this image?"},
              {"image":{"format":"png","source":{"bytes":"iVBORw0KGgo+/AAA="}}},
              {"image":{"format":"jpeg","source":{"bytes":"/9j/4AAQ"}}},
              {"image":{"format":"webp","source":{"bytes":"UklGRg=="}}},
              {"image":{"format":"gif","source":{"bytes":"R0lGODlh"}}}]}]}
            """);
    }

    [Fact]
    public void An_image_url_is_a_clear_bad_request_because_bedrock_needs_inline_images()
    {
        var error = Should.Throw<SwitchboardException>(() => Write("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/cat.jpg"}}]}]}
            """));

        error.Category.ShouldBe(ErrorCategory.BadRequest);
        error.StatusCode.ShouldBe(400);
        error.Message.ShouldStartWith("Bedrock needs inline images");
        error.Param.ShouldBe("messages[0].content[0].image_url");
    }

    [Fact]
    public void An_image_bedrock_cannot_read_is_a_bad_request_naming_its_type()
    {
        var error = Should.Throw<SwitchboardException>(() => Write("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/bmp;base64,Qk0="}}]}]}
            """));

        error.Message.ShouldBe("Bedrock takes png, jpeg, gif and webp images; this one is 'image/bmp'.");
    }

    [Fact]
    public void Tools_become_tool_specs_and_auto_is_left_to_bedrocks_default()
    {
        var body = Write($$$"""{"model":"m","messages":[{"role":"user","content":"What is the most popular song on WZPZ?"}],"tools":[{{{TopSongTool}}}],"tool_choice":"auto"}""");

        ShouldBeJson(body, """
            {"messages":[{"role":"user","content":[{"text":"What is the most popular song on WZPZ?"}]}],
             "toolConfig":{"tools":[{"toolSpec":{"name":"top_song","description":"Get the most popular song played on a radio station.",
               "inputSchema":{"json":{"type":"object","properties":{"sign":{"type":"string","description":"The call sign for the radio station for which you want the most popular song. Example calls signs are WZPZ and WKRP."}},"required":["sign"]}}}}]}}
            """);
    }

    [Theory]
    [InlineData("\"required\"", """{"any":{}}""")]
    [InlineData("""{"type":"function","function":{"name":"top_song"}}""", """{"tool":{"name":"top_song"}}""")]
    public void Tool_choice_becomes_converses_tool_choice(string toolChoice, string expected)
    {
        var body = Write($$$"""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{{{TopSongTool}}}],"tool_choice":{{{toolChoice}}}}""");

        var converse = JsonNode.Parse(body)!;
        JsonNode.DeepEquals(converse["toolConfig"]!["toolChoice"], JsonNode.Parse(expected)).ShouldBeTrue(body);
    }

    [Fact]
    public void Tool_choice_none_sends_no_tools()
    {
        var body = Write($$$"""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{{{TopSongTool}}}],"tool_choice":"none"}""");

        ShouldBeJson(body, """{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""");
    }

    [Fact]
    public void Tool_choice_none_keeps_the_tools_when_the_conversation_has_tool_blocks_because_converse_requires_them()
    {
        var body = Write($$$"""
            {"model":"m","tools":[{{{TopSongTool}}}],"tool_choice":"none","messages":[
              {"role":"user","content":"What is the most popular song on WZPZ?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}}]},
              {"role":"tool","tool_call_id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","content":"Elemental Hotel by 8 Storey Hike"}]}
            """);

        var converse = JsonNode.Parse(body)!;
        converse["toolConfig"]!["tools"]!.AsArray().Count.ShouldBe(1);
        converse["toolConfig"]!["toolChoice"].ShouldBeNull();
    }

    [Fact]
    public void A_function_without_parameters_gets_an_empty_object_schema()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"now"}}]}""");

        ShouldBeJson(body, """
            {"messages":[{"role":"user","content":[{"text":"Hi"}]}],
             "toolConfig":{"tools":[{"toolSpec":{"name":"now","inputSchema":{"json":{"type":"object","properties":{}}}}}]}}
            """);
    }

    [Fact]
    public void Assistant_tool_calls_become_tool_uses_and_consecutive_tool_results_one_user_turn()
    {
        var body = Write($$$"""
            {"model":"m","tools":[{{{TopSongTool}}}],"messages":[
              {"role":"user","content":"What are the most popular songs on WZPZ and WKRP?"},
              {"role":"assistant","content":"I'll look both up.","tool_calls":[
                {"id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","type":"function","function":{"name":"top_song","arguments":"{\"sign\":\"WZPZ\"}"}},
                {"id":"tooluse_hr5juciYZJwUHpRczsw13R","type":"function","function":{"name":"top_song","arguments":"{\"sign\": \"WKRP\"}"}}]},
              {"role":"tool","tool_call_id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","content":"{\"song\":\"Elemental Hotel\",\"artist\":\"8 Storey Hike\"}"},
              {"role":"tool","tool_call_id":"tooluse_hr5juciYZJwUHpRczsw13R","content":[{"type":"text","text":"Station WKRP not found."}]},
              {"role":"user","content":"Thanks! Which one is better?"}]}
            """);

        var messages = JsonNode.Parse(body)!["messages"]!;
        JsonNode.DeepEquals(messages, JsonNode.Parse("""
            [{"role":"user","content":[{"text":"What are the most popular songs on WZPZ and WKRP?"}]},
             {"role":"assistant","content":[
               {"text":"I'll look both up."},
               {"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"top_song","input":{"sign":"WZPZ"}}},
               {"toolUse":{"toolUseId":"tooluse_hr5juciYZJwUHpRczsw13R","name":"top_song","input":{"sign":"WKRP"}}}]},
             {"role":"user","content":[
               {"toolResult":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","content":[{"text":"{\"song\":\"Elemental Hotel\",\"artist\":\"8 Storey Hike\"}"}]}},
               {"toolResult":{"toolUseId":"tooluse_hr5juciYZJwUHpRczsw13R","content":[{"text":"Station WKRP not found."}]}},
               {"text":"Thanks! Which one is better?"}]}]
            """)).ShouldBeTrue(body);
    }

    [Fact]
    public void An_assistant_turn_with_blank_text_and_tool_calls_keeps_only_the_tool_uses()
    {
        var body = Write($$$"""
            {"model":"m","tools":[{{{TopSongTool}}}],"messages":[
              {"role":"user","content":"Top song on WZPZ?"},
              {"role":"assistant","content":"","tool_calls":[{"id":"t1","type":"function","function":{"name":"top_song","arguments":""}}]},
              {"role":"tool","tool_call_id":"t1","content":"Elemental Hotel"}]}
            """);

        var assistant = JsonNode.Parse(body)!["messages"]![1]!;
        JsonNode.DeepEquals(assistant, JsonNode.Parse("""{"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"top_song","input":{}}}]}""")).ShouldBeTrue(body);
    }

    [Fact]
    public void Tool_call_arguments_that_are_not_json_are_a_bad_request()
    {
        var error = Should.Throw<SwitchboardException>(() => Write("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}
            """));

        error.Param.ShouldBe("messages[1].tool_calls[0].function.arguments");
    }

    [Fact]
    public void Sampling_parameters_and_stop_sequences_become_the_inference_config()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"max_tokens":512,"temperature":0.5,"top_p":0.9,"stop":["\n\nHuman:","END"]}""");

        JsonNode.DeepEquals(JsonNode.Parse(body)!["inferenceConfig"], JsonNode.Parse("""{"maxTokens":512,"temperature":0.5,"topP":0.9,"stopSequences":["\n\nHuman:","END"]}""")).ShouldBeTrue(body);
    }

    [Fact]
    public void Max_completion_tokens_wins_over_max_tokens_and_a_single_stop_is_a_list()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"max_tokens":512,"max_completion_tokens":1000,"stop":"END"}""");

        JsonNode.DeepEquals(JsonNode.Parse(body)!["inferenceConfig"], JsonNode.Parse("""{"maxTokens":1000,"stopSequences":["END"]}""")).ShouldBeTrue(body);
    }

    [Fact]
    public void A_streamed_request_has_the_same_body_since_the_path_says_stream()
    {
        const string Request = """{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}""";

        Write(Request, stream: true).ShouldBe(Write(Request, stream: false));
    }

    [Fact]
    public void Non_ascii_text_and_base64_are_written_unescaped()
    {
        var raw = WriteRaw("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Grüße <b>&</b>"},{"type":"image_url","image_url":{"url":"data:image/png;base64,a+b/c=="}}]}]}""");

        raw.ShouldContain("Grüße <b>&</b>");
        raw.ShouldContain("a+b/c==");
    }

    /// <summary>The Converse body for an OpenAI request, normalized (parsed and written again) so it can be compared.</summary>
    private static string Write(string openAiRequest, bool stream = false) => Normalize(WriteRaw(openAiRequest, stream));

    private static string WriteRaw(string openAiRequest, bool stream = false)
    {
        var request = JsonSerializer.Deserialize(openAiRequest, ChatJsonContext.Default.ChatRequest)!;
        var output = new ArrayBufferWriter<byte>();
        BedrockAdapter.Instance.WriteRequest(request, Model, stream, output);
        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string Normalize(string json) => JsonNode.Parse(json)!.ToJsonString();

    /// <summary>Compares JSON texts by content, whatever their layout.</summary>
    private static void ShouldBeJson(string actual, string expected) => JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected)).ShouldBeTrue(actual);
}
