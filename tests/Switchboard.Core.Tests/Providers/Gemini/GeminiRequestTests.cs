using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiRequestTests
{
    [Fact]
    public void A_plain_conversation_becomes_user_and_model_contents()
    {
        var body = Write("""
            {"model":"gemini-2.5-flash","messages":[
              {"role":"user","content":"Hello"},
              {"role":"assistant","content":"Great to meet you. What would you like to know?"},
              {"role":"user","content":"I have two dogs in my house. How many paws are in my house?"}]}
            """);

        ShouldEqual(body, """
            {"contents":[
              {"role":"user","parts":[{"text":"Hello"}]},
              {"role":"model","parts":[{"text":"Great to meet you. What would you like to know?"}]},
              {"role":"user","parts":[{"text":"I have two dogs in my house. How many paws are in my house?"}]}]}
            """);
    }

    [Fact]
    public void System_and_developer_messages_become_the_system_instruction()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"system","content":"You are a cat."},
              {"role":"developer","content":[{"type":"text","text":"Your name is Neko."}]},
              {"role":"user","content":"Hello there"}]}
            """);

        ShouldEqual(body, """
            {"contents":[{"role":"user","parts":[{"text":"Hello there"}]}],
             "systemInstruction":{"parts":[{"text":"You are a cat."},{"text":"Your name is Neko."}]}}
            """);
    }

    [Fact]
    public void Text_and_image_parts_become_text_inline_data_and_file_data()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"Caption these."},
              {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg=="}},
              {"type":"image_url","image_url":{"url":"https://example.com/photos/cat.PNG?size=large","detail":"high"}},
              {"type":"image_url","image_url":{"url":"https://example.com/render"}}]}]}
            """);

        ShouldEqual(body, """
            {"contents":[{"role":"user","parts":[
              {"text":"Caption these."},
              {"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQSkZJRg=="}},
              {"fileData":{"mimeType":"image/png","fileUri":"https://example.com/photos/cat.PNG?size=large"}},
              {"fileData":{"mimeType":"image/*","fileUri":"https://example.com/render"}}]}]}
            """);
    }

    [Fact]
    public void Audio_and_file_parts_become_inline_data()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"input_audio","input_audio":{"data":"UklGRg==","format":"mp3"}},
              {"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]}
            """);

        ShouldEqual(body, """
            {"contents":[{"role":"user","parts":[
              {"inlineData":{"mimeType":"audio/mp3","data":"UklGRg=="}},
              {"inlineData":{"mimeType":"application/pdf","data":"JVBERi0="}}]}]}
            """);
    }

    [Fact]
    public void Tools_become_function_declarations_with_gemini_schemas()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"Weather in Boston?"}],
             "tools":[
               {"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location","strict":true,
                 "parameters":{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
                   "properties":{"location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},
                                 "unit":{"type":"string","enum":["celsius","fahrenheit"]}},
                   "required":["location"]}}},
               {"type":"function","function":{"name":"get_time"}},
               {"type":"function","function":{"name":"ping","parameters":{"type":"object","properties":{}}}}]}
            """);

        ShouldEqual(body.GetProperty("tools"), """
            [{"functionDeclarations":[
              {"name":"get_current_weather","description":"Get the current weather in a given location",
               "parameters":{"type":"OBJECT",
                 "properties":{"location":{"type":"STRING","description":"The city and state, e.g. San Francisco, CA"},
                               "unit":{"type":"STRING","enum":["celsius","fahrenheit"]}},
                 "required":["location"]}},
              {"name":"get_time"},
              {"name":"ping"}]}]
            """);
        body.TryGetProperty("toolConfig", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("\"auto\"", """{"functionCallingConfig":{"mode":"AUTO"}}""")]
    [InlineData("\"none\"", """{"functionCallingConfig":{"mode":"NONE"}}""")]
    [InlineData("\"required\"", """{"functionCallingConfig":{"mode":"ANY"}}""")]
    [InlineData("""{"type":"function","function":{"name":"get_current_weather"}}""", """{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_current_weather"]}}""")]
    public void Every_tool_choice_becomes_a_function_calling_config(string toolChoice, string expected)
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[{"type":"function","function":{"name":"get_current_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
             "tool_choice":
            """ + toolChoice + "}");

        ShouldEqual(body.GetProperty("toolConfig"), expected);
    }

    [Fact]
    public void A_tool_choice_without_tools_is_not_sent()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":"none"}""");

        body.TryGetProperty("toolConfig", out _).ShouldBeFalse();
        body.TryGetProperty("tools", out _).ShouldBeFalse();
    }

    [Fact]
    public void Assistant_tool_calls_and_their_results_become_function_calls_and_responses()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"user","content":"Turn this place into a party!"},
              {"role":"assistant","content":null,"tool_calls":[
                {"id":"call_1","type":"function","function":{"name":"power_disco_ball","arguments":"{\"power\": true}"}},
                {"id":"call_2","type":"function","function":{"name":"start_music","arguments":"{\"energetic\":true,\"loud\":true}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"{\"status\":\"Disco ball powered on\"}"},
              {"role":"tool","tool_call_id":"call_2","content":"Playing 'Dancing Queen'"}]}
            """);

        ShouldEqual(body, """
            {"contents":[
              {"role":"user","parts":[{"text":"Turn this place into a party!"}]},
              {"role":"model","parts":[
                {"functionCall":{"name":"power_disco_ball","args":{"power":true}},"thoughtSignature":"skip_thought_signature_validator"},
                {"functionCall":{"name":"start_music","args":{"energetic":true,"loud":true}}}]},
              {"role":"user","parts":[
                {"functionResponse":{"name":"power_disco_ball","response":{"status":"Disco ball powered on"}}},
                {"functionResponse":{"name":"start_music","response":{"content":"Playing 'Dancing Queen'"}}}]}]}
            """);
    }

    [Fact]
    public void Assistant_text_beside_tool_calls_comes_first_and_empty_arguments_are_an_empty_object()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"user","content":"What time is it?"},
              {"role":"assistant","content":"Let me check.","tool_calls":[{"id":"a","type":"function","function":{"name":"get_time","arguments":""}}]},
              {"role":"tool","tool_call_id":"a","content":[{"type":"text","text":"12:00"}]}]}
            """);

        ShouldEqual(body.GetProperty("contents")[1], """
            {"role":"model","parts":[{"text":"Let me check."},{"functionCall":{"name":"get_time","args":{}},"thoughtSignature":"skip_thought_signature_validator"}]}
            """);
        ShouldEqual(body.GetProperty("contents")[2], """
            {"role":"user","parts":[{"functionResponse":{"name":"get_time","response":{"content":"12:00"}}}]}
            """);
    }

    [Fact]
    public void A_tool_result_names_the_nearest_earlier_call_with_its_id()
    {
        // Ids made up for an earlier Gemini answer repeat across turns; the latest call with the id is the one answered.
        var body = Write("""
            {"model":"m","messages":[
              {"role":"user","content":"1"},
              {"role":"assistant","tool_calls":[{"id":"call_0","type":"function","function":{"name":"first","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_0","content":"one"},
              {"role":"assistant","tool_calls":[{"id":"call_0","type":"function","function":{"name":"second","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"call_0","content":"two"}]}
            """);

        var contents = body.GetProperty("contents");
        contents[2].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString().ShouldBe("first");
        contents[4].GetProperty("parts")[0].GetProperty("functionResponse").GetProperty("name").GetString().ShouldBe("second");
    }

    [Fact]
    public void Each_model_turn_signs_only_its_first_function_call()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"user","content":"go"},
              {"role":"assistant","tool_calls":[{"id":"a","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"g","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"a","content":"1"},
              {"role":"tool","tool_call_id":"b","content":"2"},
              {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
              {"role":"tool","tool_call_id":"c","content":"3"}]}
            """);

        var contents = body.GetProperty("contents");
        contents[1].GetProperty("parts")[0].TryGetProperty("thoughtSignature", out _).ShouldBeTrue();
        contents[1].GetProperty("parts")[1].TryGetProperty("thoughtSignature", out _).ShouldBeFalse();
        contents[3].GetProperty("parts")[0].GetProperty("thoughtSignature").GetString().ShouldBe(GeminiRequestWriter.ForeignThoughtSignature);
    }

    [Fact]
    public void Consecutive_messages_of_one_role_share_a_content_and_empty_ones_are_left_out()
    {
        var body = Write("""
            {"model":"m","messages":[
              {"role":"user","content":"first"},
              {"role":"user","content":""},
              {"role":"user","content":"second"},
              {"role":"assistant","content":""},
              {"role":"user","content":"third"}]}
            """);

        ShouldEqual(body, """{"contents":[{"role":"user","parts":[{"text":"first"},{"text":"second"},{"text":"third"}]}]}""");
    }

    [Fact]
    public void Sampling_limits_and_stop_sequences_become_the_generation_config()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "temperature":0.7,"top_p":0.95,"max_tokens":800,"stop":["Title"],"n":2,"seed":42,
             "presence_penalty":0.5,"frequency_penalty":-0.25}
            """);

        ShouldEqual(body.GetProperty("generationConfig"), """
            {"temperature":0.7,"topP":0.95,"maxOutputTokens":800,"stopSequences":["Title"],"candidateCount":2,"seed":42,"presencePenalty":0.5,"frequencyPenalty":-0.25}
            """);
    }

    [Fact]
    public void Max_completion_tokens_wins_over_max_tokens_and_a_single_stop_is_a_list()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":10,"max_completion_tokens":20,"stop":"END"}""");

        ShouldEqual(body.GetProperty("generationConfig"), """{"maxOutputTokens":20,"stopSequences":["END"]}""");
    }

    [Fact]
    public void No_generation_config_is_sent_when_nothing_is_set()
    {
        Write("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"user":"u-1"}""").TryGetProperty("generationConfig", out _).ShouldBeFalse();
    }

    [Fact]
    public void Json_object_response_format_asks_for_json()
    {
        var body = Write("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""");

        ShouldEqual(body.GetProperty("generationConfig"), """{"responseMimeType":"application/json"}""");
    }

    [Fact]
    public void Json_schema_response_format_becomes_a_response_schema()
    {
        var body = Write("""
            {"model":"m","messages":[{"role":"user","content":"List cookie recipes"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"recipes","strict":true,"schema":{
               "type":"array","items":{"type":"object","additionalProperties":false,
                 "properties":{"recipeName":{"type":"string"},"ingredients":{"type":"array","items":{"type":"string"}}},
                 "required":["recipeName","ingredients"]}}}}}
            """);

        ShouldEqual(body.GetProperty("generationConfig"), """
            {"responseMimeType":"application/json","responseSchema":{"type":"ARRAY","items":{"type":"OBJECT",
              "properties":{"recipeName":{"type":"STRING"},"ingredients":{"type":"ARRAY","items":{"type":"STRING"}}},
              "required":["recipeName","ingredients"]}}}
            """);
    }

    [Theory]
    [InlineData("low", """{"thinkingBudget":1024,"includeThoughts":true}""")]
    [InlineData("medium", """{"thinkingBudget":8192,"includeThoughts":true}""")]
    [InlineData("high", """{"thinkingBudget":24576,"includeThoughts":true}""")]
    [InlineData("none", """{"thinkingBudget":0}""")]
    public void Reasoning_effort_becomes_a_thinking_budget_that_shows_its_thoughts(string effort, string expected)
    {
        var body = Write($$"""{"model":"m","messages":[{"role":"user","content":"hi"}],"reasoning_effort":"{{effort}}"}""");

        ShouldEqual(body.GetProperty("generationConfig").GetProperty("thinkingConfig"), expected);
    }

    [Fact]
    public void The_model_and_stream_flag_stay_out_of_the_body()
    {
        var output = new ArrayBufferWriter<byte>();
        GeminiAdapter.Instance.WriteRequest(Request("""{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"}],"stream":true}"""), "gemini-2.5-flash", stream: true, output);

        var text = System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
        text.ShouldNotContain("gemini-2.5-flash");
        text.ShouldNotContain("stream");
    }

    [Fact]
    public void Non_ascii_text_is_written_as_it_is()
    {
        var output = new ArrayBufferWriter<byte>();
        GeminiAdapter.Instance.WriteRequest(Request("""{"model":"m","messages":[{"role":"user","content":"Grüße, 東京 <3 & 'quotes'"}]}"""), "m", stream: false, output);

        System.Text.Encoding.UTF8.GetString(output.WrittenSpan).ShouldContain("Grüße, 東京 <3 & 'quotes'");
    }

    internal static ChatRequest Request(string json) => JsonSerializer.Deserialize(json, ChatJsonContext.Default.ChatRequest)!;

    internal static JsonElement Write(string requestJson)
    {
        var output = new ArrayBufferWriter<byte>();
        GeminiAdapter.Instance.WriteRequest(Request(requestJson), "gemini-2.5-flash", stream: false, output);
        using var document = JsonDocument.Parse(output.WrittenMemory);
        return document.RootElement.Clone();
    }

    internal static void ShouldEqual(JsonElement actual, string expected)
    {
        var actualNode = JsonNode.Parse(actual.GetRawText());
        JsonNode.DeepEquals(actualNode, JsonNode.Parse(expected)).ShouldBeTrue($"got {actualNode!.ToJsonString()}");
    }
}
