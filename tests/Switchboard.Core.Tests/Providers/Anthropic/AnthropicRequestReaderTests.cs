using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Anthropic;

public sealed class AnthropicRequestReaderTests
{
    private static ChatRequest Read(string json) => AnthropicClientDialect.Instance.ReadRequest(Encoding.UTF8.GetBytes(json));

    /// <summary>The canonical request as OpenAI JSON, the form the gateway sends on.</summary>
    private static string OpenAI(ChatRequest request) => JsonSerializer.Serialize(request, ChatJsonContext.Default.ChatRequest);

    [Fact]
    public void A_plain_request_becomes_an_openai_request()
    {
        var request = Read("""{"model":"gpt-4.1","max_tokens":1024,"messages":[{"role":"user","content":"Hello, Claude"}]}""");

        OpenAI(request).ShouldBe("""{"model":"gpt-4.1","messages":[{"role":"user","content":"Hello, Claude"}],"max_tokens":1024}""");
    }

    [Fact]
    public void The_system_prompt_string_or_blocks_becomes_the_first_system_message()
    {
        Read("""{"model":"m","max_tokens":5,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}""")
            .Messages[0].ShouldBe(ChatMessage.System("Be brief."));

        var blocks = Read("""
            {"model":"m","max_tokens":5,"system":[{"type":"text","text":"You are Claude Code."},{"type":"text","text":"Be careful.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}
            """);

        blocks.Messages[0].Role.ShouldBe(ChatRoles.System);
        blocks.Messages[0].Content!.Text.ShouldBe("You are Claude Code.\n\nBe careful.");
    }

    [Fact]
    public void A_mid_conversation_system_message_stays_in_its_place()
    {
        var request = Read("""
            {"model":"m","max_tokens":5,"system":"Be brief.","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},
              {"role":"system","content":[{"type":"text","text":"Now answer formally."}]},{"role":"user","content":"How are you?"}]}
            """);

        request.Messages.Select(m => (m.Role, m.Content!.Text)).ShouldBe(
        [
            (ChatRoles.System, "Be brief."), (ChatRoles.User, "Hi"), (ChatRoles.Assistant, "Hello"), (ChatRoles.System, "Now answer formally."), (ChatRoles.User, "How are you?"),
        ]);
    }

    [Fact]
    public void Text_and_image_blocks_become_parts_with_base64_as_a_data_url()
    {
        var request = Read("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQSkZJRg=="}},
              {"type":"image","source":{"type":"url","url":"https://upload.wikimedia.org/ant.jpg"}},
              {"type":"text","text":"Compare these images."}]}]}
            """);

        OpenAI(request).ShouldContain(
            """{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg=="}},{"type":"image_url","image_url":{"url":"https://upload.wikimedia.org/ant.jpg"}},{"type":"text","text":"Compare these images."}]}""");
    }

    [Fact]
    public void Text_only_blocks_become_a_plain_string()
    {
        Read("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}]}""")
            .Messages.Single().ShouldBe(ChatMessage.User("Hi"));
    }

    [Fact]
    public void Tool_use_and_tool_result_blocks_become_tool_calls_and_tool_messages_in_order()
    {
        var request = Read("""
            {"model":"m","max_tokens":5,
             "tools":[{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}},
                      {"name":"get_time","input_schema":{"type":"object","properties":{}}}],
             "messages":[
               {"role":"user","content":"Weather and time in Paris?"},
               {"role":"assistant","content":[
                 {"type":"thinking","thinking":"Two tools.","signature":"sig"},
                 {"type":"text","text":"Checking."},
                 {"type":"tool_use","id":"toolu_01A","name":"get_weather","input":{"location": "Paris"}},
                 {"type":"tool_use","id":"toolu_01B","name":"get_time","input":{}}]},
               {"role":"user","content":[
                 {"type":"tool_result","tool_use_id":"toolu_01A","content":"18C"},
                 {"type":"tool_result","tool_use_id":"toolu_01B","content":[{"type":"text","text":"14:05"},{"type":"text","text":"CET"}],"is_error":false},
                 {"type":"text","text":"And tomorrow?"}]}]}
            """);

        OpenAI(request).ShouldBe(
            """{"model":"m","messages":[{"role":"user","content":"Weather and time in Paris?"},""" +
            """{"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_01A","type":"function","function":{"name":"get_weather","arguments":"{\u0022location\u0022: \u0022Paris\u0022}"}},{"id":"toolu_01B","type":"function","function":{"name":"get_time","arguments":"{}"}}]},""" +
            """{"role":"tool","content":"18C","tool_call_id":"toolu_01A"},{"role":"tool","content":"14:05\nCET","tool_call_id":"toolu_01B"},{"role":"user","content":"And tomorrow?"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Get the weather","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}},{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}],"max_tokens":5}""");
    }

    [Fact]
    public void An_assistant_turn_of_only_tool_use_has_null_content()
    {
        var request = Read("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":{"a":[1,2]}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t"}]}]}
            """);

        var assistant = request.Messages[1];
        assistant.Content.ShouldBeNull();
        assistant.ToolCalls!.Single().Function.Arguments.ShouldBe("""{"a":[1,2]}""");
        request.Messages[2].ShouldBe(new ChatMessage { Role = ChatRoles.Tool, ToolCallId = "t", Content = ChatContent.FromText("") });
    }

    [Fact]
    public void Images_a_tool_returned_follow_the_tool_messages_in_a_user_message()
    {
        var request = Read("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[
              {"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"Screenshot:"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}]}
            """);

        request.Messages.Select(m => m.Role).ShouldBe([ChatRoles.Tool, ChatRoles.User]);
        request.Messages[0].Content!.Text.ShouldBe("Screenshot:");
        request.Messages[1].Content!.Parts!.Single().ImageUrl!.Url.ShouldBe("data:image/png;base64,iVBORw0KGgo=");
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"", null)]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"get_weather"}""", """{"type":"function","function":{"name":"get_weather"}}""", null)]
    [InlineData("""{"type":"any","disable_parallel_tool_use":true}""", "\"required\"", false)]
    public void Tool_choice_maps_to_openais(string anthropic, string openAi, bool? parallel)
    {
        var request = Read("""{"model":"m","max_tokens":5,"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"tool_choice":""" + anthropic + ""","messages":[{"role":"user","content":"Hi"}]}""");

        JsonSerializer.Serialize(request.ToolChoice!, ChatJsonContext.Default.ToolChoice).ShouldBe(openAi);
        request.ParallelToolCalls.ShouldBe(parallel);
    }

    [Fact]
    public void Sampling_stop_stream_metadata_and_thinking_as_a_reasoning_effort_are_carried_over()
    {
        var request = Read("""
            {"model":"m","max_tokens":2048,"temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END","STOP"],"stream":true,
             "metadata":{"user_id":"13803d75-b4b5-4c3e-b2a2-6f21399b021b"},"thinking":{"type":"enabled","budget_tokens":1024},
             "messages":[{"role":"user","content":"Hi"}]}
            """);

        request.MaxTokens.ShouldBe(2048);
        request.Temperature.ShouldBe(0.5);
        request.TopP.ShouldBe(0.9);
        request.Stop!.Values.ShouldBe(["END", "STOP"]);
        request.Stream.ShouldBe(true);
        request.User.ShouldBe("13803d75-b4b5-4c3e-b2a2-6f21399b021b");
        request.AdditionalProperties!["reasoning_effort"].GetString().ShouldBe("low");
        OpenAI(request).ShouldNotContain("top_k");
        OpenAI(request).ShouldNotContain("thinking");
    }

    [Fact]
    public void A_pdf_document_becomes_an_openai_file_part()
    {
        var request = Read("""
            {"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0x"}},{"type":"text","text":"Summarize"}]}]}
            """);

        OpenAI(request).ShouldContain("""{"type":"file","file":{"filename":"document.pdf","file_data":"data:application/pdf;base64,JVBERi0x"}}""");
    }

    [Fact]
    public void Anthropics_own_tools_and_uploaded_files_are_refused_saying_only_anthropic_models_take_them()
    {
        var tool = Should.Throw<SwitchboardException>(() =>
            Read("""{"model":"m","max_tokens":5,"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}],"messages":[{"role":"user","content":"Hi"}]}"""));
        tool.Param.ShouldBe("tools[0]");
        tool.Message.ShouldContain("only Anthropic models can run");

        var file = Should.Throw<SwitchboardException>(() =>
            Read("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"file_011"}}]}]}"""));
        file.Param.ShouldBe("messages[0].content[0].source");
    }

    [Fact]
    public void The_translation_is_the_reverse_of_the_adapters()
    {
        // OpenAI -> Anthropic (adapter) -> OpenAI (client dialect) gives back what was sent.
        const string openAi = """
            {"model":"claude-sonnet-4-5","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Weather?"},
             {"role":"assistant","content":"Checking.","tool_calls":[{"id":"toolu_1","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}}]},
             {"role":"tool","content":"18C","tool_call_id":"toolu_1"}],
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}],
             "tool_choice":"required","max_tokens":100,"temperature":0.3,"stop":["END"],"user":"u"}
            """;
        var canonical = JsonSerializer.Deserialize(openAi, ChatJsonContext.Default.ChatRequest)!;
        var anthropic = new System.Buffers.ArrayBufferWriter<byte>();
        AnthropicAdapter.Instance.WriteRequest(canonical, "claude-sonnet-4-5", stream: false, anthropic);

        var back = AnthropicClientDialect.Instance.ReadRequest(anthropic.WrittenSpan);

        OpenAI(back).ShouldBe(OpenAI(canonical));
    }
}
