using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Ollama;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Ollama;

/// <summary>Whole <c>/api/chat</c> answers from Ollama's API reference read as canonical responses.</summary>
public sealed class OllamaResponseReaderTests
{
    [Fact]
    public void A_text_answer_is_read_with_its_model_time_and_counts()
    {
        var response = Read("""
            {"model":"llama3.2","created_at":"2023-12-12T14:13:43.416799Z","message":{"role":"assistant","content":"Hello! How are you today?"},
             "done":true,"total_duration":5191566416,"load_duration":2154458,"prompt_eval_count":26,"prompt_eval_duration":383809000,"eval_count":298,"eval_duration":4799921000}
            """);

        response.Model.ShouldBe("llama3.2");
        response.Created.ShouldBe(new DateTimeOffset(2023, 12, 12, 14, 13, 43, TimeSpan.Zero).ToUnixTimeSeconds());
        response.Id.ShouldStartWith("chatcmpl-");
        var choice = response.Choices.ShouldHaveSingleItem();
        choice.Message.Role.ShouldBe("assistant");
        choice.Message.Content!.Text.ShouldBe("Hello! How are you today?");
        choice.FinishReason.ShouldBe(FinishReasons.Stop);
        response.Usage!.PromptTokens.ShouldBe(26);
        response.Usage.CompletionTokens.ShouldBe(298);
        response.Usage.TotalTokens.ShouldBe(324);
    }

    [Fact]
    public void A_tool_call_answer_gets_an_id_arguments_as_json_text_and_finishes_as_tool_calls()
    {
        var response = Read("""
            {"model":"llama3.2","created_at":"2025-07-07T20:32:53.844124Z",
             "message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}}]},
             "done_reason":"stop","done":true,"total_duration":3244883583,"load_duration":2969184542,"prompt_eval_count":169,"prompt_eval_duration":141656333,"eval_count":18,"eval_duration":133293625}
            """);

        var choice = response.Choices.ShouldHaveSingleItem();
        choice.FinishReason.ShouldBe(FinishReasons.ToolCalls);
        choice.Message.Content.ShouldBeNull();
        var call = choice.Message.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldStartWith("call_");
        call.Function.Name.ShouldBe("get_weather");
        call.Function.Arguments.ShouldBe("""{"city":"Tokyo"}""");
    }

    [Fact]
    public void An_id_ollama_gives_is_kept()
    {
        Read("""{"model":"m","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_x1","function":{"index":0,"name":"f","arguments":{}}}]},"done":true}""")
            .Choices[0].Message.ToolCalls![0].Id.ShouldBe("call_x1");
    }

    [Fact]
    public void Running_out_of_tokens_finishes_as_length_and_thinking_is_kept_as_reasoning()
    {
        var response = Read("""{"model":"qwen3","message":{"role":"assistant","content":"The answer","thinking":"Hmm."},"done_reason":"length","done":true,"prompt_eval_count":5,"eval_count":9}""");

        response.Choices[0].FinishReason.ShouldBe(FinishReasons.Length);
        response.Choices[0].Message.AdditionalProperties!["reasoning_content"].GetString().ShouldBe("Hmm.");
    }

    [Theory]
    [InlineData("""{"model":"llama3.2","message":{"role":"assistant","content":"Hel""")]
    [InlineData("""[1,2]""")]
    [InlineData("""{"model":"llama3.2","done":true}""")]
    [InlineData("""{"error":"model 'x' not found"}""")]
    public void A_body_that_is_not_an_answer_is_malformed(string body)
    {
        Should.Throw<JsonException>(() => Read(body));
    }

    private static ChatResponse Read(string body) => OllamaAdapter.Instance.ReadResponse(Encoding.UTF8.GetBytes(body));
}
