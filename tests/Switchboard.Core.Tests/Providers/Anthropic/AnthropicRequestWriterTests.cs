using System.Buffers;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicRequestWriterTests
{
    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"Get the current weather","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}""";
    private const string Time = """{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"timezone":{"type":"string"}}}}}""";

    /// <summary>Reads an OpenAI request as the gateway does and writes it for Anthropic.</summary>
    private static JsonElement Write(string openAiRequest, string model = "claude-sonnet-4-5", bool stream = false)
    {
        var request = JsonSerializer.Deserialize(openAiRequest, ChatJsonContext.Default.ChatRequest)!;
        var output = new ArrayBufferWriter<byte>();
        AnthropicAdapter.Instance.WriteRequest(request, model, stream, output);
        return JsonDocument.Parse(output.WrittenMemory).RootElement;
    }

    private static string Json(JsonElement element) => element.GetRawText();

    [Fact]
    public void A_plain_request_names_the_upstream_model_and_gets_the_default_max_tokens()
    {
        var body = Write("""{"model":"anthropic/claude-sonnet-4-5","messages":[{"role":"user","content":"Hello"}]}""");

        Json(body).ShouldBe("""{"model":"claude-sonnet-4-5","max_tokens":4096,"messages":[{"role":"user","content":"Hello"}]}""");
    }

    [Fact]
    public void System_and_developer_messages_become_the_top_level_system()
    {
        Write("""{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""")
            .GetProperty("system").GetString().ShouldBe("Be brief.");

        var several = Write("""
            {"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Answer in French.","cache_control":{"type":"ephemeral"}}]},{"role":"user","content":"Hi"}]}
            """);

        Json(several.GetProperty("system")).ShouldBe("""[{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in French.","cache_control":{"type":"ephemeral"}}]""");
        Json(several.GetProperty("messages")).ShouldBe("""[{"role":"user","content":"Hi"}]""");
    }

    [Fact]
    public void Text_and_image_parts_become_blocks_with_data_urls_as_base64_and_web_urls_as_url_sources()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"What is in these images?"},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg=="}},
              {"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg","detail":"high"}}]}]}
            """);

        Json(body.GetProperty("messages")[0].GetProperty("content")).ShouldBe(
            """[{"type":"text","text":"What is in these images?"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQSkZJRg=="}},{"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"}}]""");
    }

    [Fact]
    public void A_data_url_that_is_not_base64_is_sent_as_base64_and_one_that_is_not_a_data_url_at_all_is_refused()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/svg+xml,%3Csvg%2F%3E"}}]}]}""");

        Json(body.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("source")).ShouldBe(
            """{"type":"base64","media_type":"image/svg+xml","data":"PHN2Zy8+"}""");

        var error = Should.Throw<SwitchboardException>(() =>
            Write("""{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png"}}]}]}"""));
        error.StatusCode.ShouldBe(400);
        error.Param.ShouldBe("messages[0].content[0].image_url.url");
    }

    [Fact]
    public void A_pdf_file_part_becomes_a_document_block()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}]}]}""");

        Json(body.GetProperty("messages")[0].GetProperty("content")[0]).ShouldBe(
            """{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}}""");
    }

    [Fact]
    public void Tools_become_anthropic_tools_with_input_schema()
    {
        var body = Write($$$"""{"model":"m","messages":[{"role":"user","content":"Weather?"}],"tools":[{{{Weather}}},{"type":"function","function":{"name":"ping"}}]}""");

        Json(body.GetProperty("tools")).ShouldBe(
            """[{"name":"get_weather","description":"Get the current weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}},{"name":"ping","input_schema":{"type":"object","properties":{}}}]""");
        body.TryGetProperty("tool_choice", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("\"auto\"", null, """{"type":"auto"}""")]
    [InlineData("\"none\"", null, """{"type":"none"}""")]
    [InlineData("\"required\"", null, """{"type":"any"}""")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", null, """{"type":"tool","name":"get_weather"}""")]
    [InlineData("\"auto\"", "false", """{"type":"auto","disable_parallel_tool_use":true}""")]
    [InlineData("\"required\"", "false", """{"type":"any","disable_parallel_tool_use":true}""")]
    [InlineData(null, "false", """{"type":"auto","disable_parallel_tool_use":true}""")]
    [InlineData(null, "true", null)]
    public void Tool_choice_and_parallel_tool_calls_map_to_anthropics_tool_choice(string? toolChoice, string? parallel, string? expected)
    {
        var extra = (toolChoice is null ? "" : $",\"tool_choice\":{toolChoice}") + (parallel is null ? "" : $",\"parallel_tool_calls\":{parallel}");

        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Weather?"}],"tools":[""" + Weather + "]" + extra + "}");

        if (expected is null) body.TryGetProperty("tool_choice", out _).ShouldBeFalse();
        else Json(body.GetProperty("tool_choice")).ShouldBe(expected);
    }

    [Fact]
    public void Assistant_tool_calls_become_tool_use_blocks_and_consecutive_tool_results_one_user_turn()
    {
        var body = Write($$$"""
            {"model":"m","tools":[{{{Weather}}},{{{Time}}}],"messages":[
              {"role":"user","content":"Weather and time in Paris?"},
              {"role":"assistant","content":"Let me check.","tool_calls":[
                {"id":"toolu_01A","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}},
                {"id":"toolu_01B","type":"function","function":{"name":"get_time","arguments":""}}]},
              {"role":"tool","tool_call_id":"toolu_01A","content":"18C and cloudy"},
              {"role":"tool","tool_call_id":"toolu_01B","content":[{"type":"text","text":"14:05"}]},
              {"role":"user","content":"Thanks! And tomorrow?"}]}
            """);

        Json(body.GetProperty("messages")).ShouldBe(
            """[{"role":"user","content":"Weather and time in Paris?"},""" +
            """{"role":"assistant","content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"location":"Paris"}},{"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}]},""" +
            """{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A","content":"18C and cloudy"},{"type":"tool_result","tool_use_id":"toolu_01B","content":[{"type":"text","text":"14:05"}]},{"type":"text","text":"Thanks! And tomorrow?"}]}]""");
    }

    [Fact]
    public void An_assistant_turn_with_only_tool_calls_has_no_text_block()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"done"}]}
            """);

        Json(body.GetProperty("messages")[1]).ShouldBe("""{"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"f","input":{}}]}""");
        Json(body.GetProperty("messages")[2]).ShouldBe("""{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"done"}]}""");
    }

    [Fact]
    public void Tool_call_arguments_that_are_not_a_json_object_are_refused_naming_the_field()
    {
        var error = Should.Throw<SwitchboardException>(() => Write("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]}]}
            """));

        error.Param.ShouldBe("messages[1].tool_calls[0].function.arguments");
        error.Message.ShouldContain("must be a JSON object");
    }

    [Fact]
    public void Signed_thinking_blocks_the_client_sends_back_lead_the_assistant_turn()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","content":null,"thinking_blocks":[{"type":"thinking","thinking":"hmm","signature":"sig=="}],
               "tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"t","content":"ok"}]}
            """);

        Json(body.GetProperty("messages")[1].GetProperty("content")[0]).ShouldBe("""{"type":"thinking","thinking":"hmm","signature":"sig=="}""");
    }

    [Fact]
    public void Sampling_stop_user_and_stream_take_their_anthropic_names()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"Hi"}],"max_tokens":300,"temperature":0.4,"top_p":0.9,"stop":["END"," ","\n\nHuman:"],"user":"user-123",
             "n":1,"seed":7,"presence_penalty":0.5,"frequency_penalty":0.5,"metadata":{"agent":"x"},"response_format":{"type":"text"}}
            """, stream: true);

        Json(body).ShouldBe(
            """{"model":"claude-sonnet-4-5","max_tokens":300,"messages":[{"role":"user","content":"Hi"}],"stop_sequences":["END","\n\nHuman:"],"temperature":0.4,"top_p":0.9,"stream":true,"metadata":{"user_id":"user-123"}}""");
    }

    [Fact]
    public void A_single_stop_string_becomes_a_one_item_list_and_max_completion_tokens_wins_over_max_tokens()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stop":"END","max_tokens":10,"max_completion_tokens":20}""");

        Json(body.GetProperty("stop_sequences")).ShouldBe("""["END"]""");
        body.GetProperty("max_tokens").GetInt32().ShouldBe(20);
    }

    [Fact]
    public void Temperature_above_anthropics_range_is_clamped_to_its_top()
    {
        Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":1.7}""").GetProperty("temperature").GetDouble().ShouldBe(1);
    }

    [Fact]
    public void A_thinking_field_passes_through_and_the_default_max_tokens_leaves_room_above_its_budget()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":10000},"top_k":5}""");

        Json(body.GetProperty("thinking")).ShouldBe("""{"type":"enabled","budget_tokens":10000}""");
        body.GetProperty("max_tokens").GetInt32().ShouldBe(10000 + AnthropicRequestWriter.DefaultMaxTokens);
        body.GetProperty("top_k").GetInt32().ShouldBe(5);
    }

    [Fact]
    public void Reasoning_effort_turns_on_thinking_with_a_budget_below_max_tokens_and_drops_sampling_that_thinking_refuses()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"high","temperature":0.2,"max_completion_tokens":3000}""");

        Json(body.GetProperty("thinking")).ShouldBe("""{"type":"enabled","budget_tokens":2999}""");
        body.TryGetProperty("temperature", out _).ShouldBeFalse();
        body.TryGetProperty("reasoning_effort", out _).ShouldBeFalse();

        Write("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"low","max_tokens":500}""")
            .TryGetProperty("thinking", out _).ShouldBeFalse("a budget under Anthropic's minimum of 1024 means no thinking");
    }

    [Fact]
    public void Cache_control_on_parts_and_tools_is_kept()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"long document","cache_control":{"type":"ephemeral"}}]}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"a":{"type":"string"}}}},"cache_control":{"type":"ephemeral"}}]}
            """);

        Json(body.GetProperty("messages")[0].GetProperty("content")[0]).ShouldBe("""{"type":"text","text":"long document","cache_control":{"type":"ephemeral"}}""");
        Json(body.GetProperty("tools")[0].GetProperty("cache_control")).ShouldBe("""{"type":"ephemeral"}""");
    }

    [Fact]
    public void Text_is_escaped_as_json_needs_and_no_more()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"Quote \" and <tag> & 'apostrophe' – ünïcode"}]}""");
        var request = JsonSerializer.Deserialize("""{"model":"m","messages":[{"role":"user","content":"x"}]}""", ChatJsonContext.Default.ChatRequest)!;
        var output = new ArrayBufferWriter<byte>();
        AnthropicAdapter.Instance.WriteRequest(request with { Messages = [ChatMessage.User("<b>&'")] }, "m", false, output);

        body.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("Quote \" and <tag> & 'apostrophe' – ünïcode");
        Encoding.UTF8.GetString(output.WrittenSpan).ShouldContain("\"content\":\"<b>&'\"");
    }
}
