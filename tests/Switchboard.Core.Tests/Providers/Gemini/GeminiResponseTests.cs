using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Providers.Gemini;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Gemini;

public sealed class GeminiResponseTests
{
    // The shape of the API reference's generateContent answer: indented, candidates first, ids last.
    private const string TextAnswer = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "AI learns patterns from data "
                  },
                  {
                    "text": "to make predictions."
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "avgLogprobs": -0.24
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 8,
            "candidatesTokenCount": 10,
            "totalTokenCount": 18,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 8
              }
            ]
          },
          "modelVersion": "gemini-2.0-flash",
          "responseId": "mJ9CaOqMHo2Mz7IP4LvF-AU"
        }
        """;

    // The function-calling guide's parallel example: one turn, three calls, the first signed.
    private const string ParallelCalls = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "functionCall": {
                      "name": "power_disco_ball",
                      "args": {
                        "power": true
                      }
                    },
                    "thoughtSignature": "CiIBVKhc7oDRSX5XRkZ2b+Lk="
                  },
                  {
                    "functionCall": {
                      "name": "start_music",
                      "args": {
                        "energetic": true,
                        "loud": true
                      }
                    }
                  },
                  {
                    "functionCall": {
                      "name": "dim_lights",
                      "args": {
                        "brightness": 0.5
                      }
                    }
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 171,
            "candidatesTokenCount": 42,
            "totalTokenCount": 327,
            "thoughtsTokenCount": 114
          },
          "modelVersion": "gemini-2.5-flash",
          "responseId": "abc123"
        }
        """;

    [Fact]
    public void Text_parts_are_joined_into_one_message()
    {
        var response = Read(TextAnswer);

        response.Id.ShouldBe("mJ9CaOqMHo2Mz7IP4LvF-AU");
        response.Model.ShouldBe("gemini-2.0-flash");
        response.Object.ShouldBe("chat.completion");
        var choice = response.Choices.ShouldHaveSingleItem();
        choice.Index.ShouldBe(0);
        choice.Message.Role.ShouldBe("assistant");
        choice.Message.Content!.Text.ShouldBe("AI learns patterns from data to make predictions.");
        choice.Message.ToolCalls.ShouldBeNull();
        choice.FinishReason.ShouldBe("stop");
        response.Usage!.PromptTokens.ShouldBe(8);
        response.Usage.CompletionTokens.ShouldBe(10);
        response.Usage.TotalTokens.ShouldBe(18);
    }

    [Fact]
    public void A_function_call_becomes_a_tool_call_with_its_arguments_serialized()
    {
        var response = Read("""
            {"candidates":[{"content":{"parts":[{"functionCall":{"name":"set_light_values","args":{"color_temp":"warm","brightness":25}}}],"role":"model"},"finishReason":"STOP","index":0}],
             "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":9,"totalTokenCount":49},"modelVersion":"gemini-2.5-flash","responseId":"r1"}
            """);

        var choice = response.Choices.ShouldHaveSingleItem();
        choice.FinishReason.ShouldBe("tool_calls");
        choice.Message.Content.ShouldBeNull();
        var call = choice.Message.ToolCalls.ShouldHaveSingleItem();
        call.Id.ShouldBe("call_r1_0");
        call.Type.ShouldBe("function");
        call.Function.Name.ShouldBe("set_light_values");
        call.Function.Arguments.ShouldBe("""{"color_temp":"warm","brightness":25}""");
    }

    [Fact]
    public void Parallel_function_calls_become_tool_calls_in_order_with_compact_arguments()
    {
        var calls = Read(ParallelCalls).Choices[0].Message.ToolCalls!;

        calls.Select(c => c.Id).ShouldBe(["call_abc123_0", "call_abc123_1", "call_abc123_2"]);
        calls.Select(c => c.Function.Name).ShouldBe(["power_disco_ball", "start_music", "dim_lights"]);
        calls.Select(c => c.Function.Arguments).ShouldBe(["""{"power":true}""", """{"energetic":true,"loud":true}""", """{"brightness":0.5}"""]);
    }

    [Fact]
    public void A_call_id_gemini_gives_is_kept_and_missing_args_are_an_empty_object()
    {
        var call = Read("""{"candidates":[{"content":{"parts":[{"functionCall":{"id":"fc-7","name":"get_time"}}],"role":"model"},"finishReason":"STOP"}]}""")
            .Choices[0].Message.ToolCalls!.ShouldHaveSingleItem();

        call.Id.ShouldBe("fc-7");
        call.Function.Arguments.ShouldBe("{}");
    }

    [Fact]
    public void Without_a_response_id_calls_are_numbered_from_zero()
    {
        Read("""{"candidates":[{"content":{"parts":[{"functionCall":{"name":"a","args":{}}},{"functionCall":{"name":"b","args":{}}}],"role":"model"},"finishReason":"STOP"}]}""")
            .Choices[0].Message.ToolCalls!.Select(c => c.Id).ShouldBe(["call_0", "call_1"]);
    }

    [Fact]
    public void Text_beside_a_function_call_is_kept()
    {
        var message = Read("""{"candidates":[{"content":{"parts":[{"text":"Checking."},{"functionCall":{"name":"a","args":{"x":1}}}],"role":"model"},"finishReason":"STOP"}]}""").Choices[0].Message;

        message.Content!.Text.ShouldBe("Checking.");
        message.ToolCalls.ShouldHaveSingleItem();
    }

    [Theory]
    [InlineData("STOP", "stop")]
    [InlineData("MAX_TOKENS", "length")]
    [InlineData("SAFETY", "content_filter")]
    [InlineData("RECITATION", "content_filter")]
    [InlineData("BLOCKLIST", "content_filter")]
    [InlineData("PROHIBITED_CONTENT", "content_filter")]
    [InlineData("SPII", "content_filter")]
    [InlineData("IMAGE_SAFETY", "content_filter")]
    [InlineData("OTHER", "stop")]
    [InlineData("MALFORMED_FUNCTION_CALL", "stop")]
    public void Finish_reasons_are_mapped(string gemini, string canonical)
    {
        Read($$"""{"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":"{{gemini}}"}]}""").Choices[0].FinishReason.ShouldBe(canonical);
    }

    [Fact]
    public void A_safety_stop_without_content_is_an_empty_content_filtered_choice()
    {
        var choice = Read("""{"candidates":[{"finishReason":"SAFETY","index":0,"safetyRatings":[{"category":"HARM_CATEGORY_HARASSMENT","probability":"HIGH"}]}]}""").Choices.ShouldHaveSingleItem();

        choice.FinishReason.ShouldBe("content_filter");
        choice.Message.Content!.Text.ShouldBe("");
    }

    [Fact]
    public void A_blocked_prompt_is_a_content_filtered_refusal()
    {
        var response = Read("""
            {"promptFeedback":{"blockReason":"SAFETY","safetyRatings":[{"category":"HARM_CATEGORY_DANGEROUS_CONTENT","probability":"HIGH"}]},
             "usageMetadata":{"promptTokenCount":9,"totalTokenCount":9},"modelVersion":"gemini-2.5-flash","responseId":"b1"}
            """);

        var choice = response.Choices.ShouldHaveSingleItem();
        choice.FinishReason.ShouldBe("content_filter");
        choice.Message.Content!.Text.ShouldBe("");
        choice.Message.Refusal.ShouldBe("Gemini blocked the prompt (SAFETY).");
        response.Usage!.PromptTokens.ShouldBe(9);
    }

    [Fact]
    public void Usage_counts_cached_and_thought_tokens()
    {
        var usage = Read("""
            {"candidates":[{"content":{"parts":[{"text":"x"}],"role":"model"},"finishReason":"STOP"}],
             "usageMetadata":{"promptTokenCount":2048,"candidatesTokenCount":120,"totalTokenCount":2668,"cachedContentTokenCount":1536,"thoughtsTokenCount":500,
               "promptTokensDetails":[{"modality":"TEXT","tokenCount":2048}],"cacheTokensDetails":[{"modality":"TEXT","tokenCount":1536}]}}
            """).Usage!;

        usage.PromptTokens.ShouldBe(2048);
        usage.CompletionTokens.ShouldBe(620);
        usage.TotalTokens.ShouldBe(2668);
        usage.PromptTokensDetails!.CachedTokens.ShouldBe(1536);
        usage.CompletionTokensDetails!.ReasoningTokens.ShouldBe(500);
    }

    [Fact]
    public void Tool_use_prompt_tokens_count_as_input()
    {
        var usage = Read("""{"candidates":[],"usageMetadata":{"promptTokenCount":10,"toolUsePromptTokenCount":5,"candidatesTokenCount":3,"totalTokenCount":18}}""").Usage!;

        usage.PromptTokens.ShouldBe(15);
        usage.TotalTokens.ShouldBe(18);
    }

    [Fact]
    public void Thought_parts_become_reasoning_content()
    {
        var message = Read("""
            {"candidates":[{"content":{"parts":[{"text":"**Counting paws**\n\nTwo dogs, four paws each.","thought":true},{"text":"There are 8 paws."}],"role":"model"},"finishReason":"STOP"}]}
            """).Choices[0].Message;

        message.Content!.Text.ShouldBe("There are 8 paws.");
        message.AdditionalProperties!["reasoning_content"].GetString().ShouldBe("**Counting paws**\n\nTwo dogs, four paws each.");
        // The canonical response writes it where OpenAI-style clients read reasoning.
        JsonSerializer.Serialize(message, ChatJsonContext.Default.ChatMessage).ShouldContain("\"reasoning_content\":\"**Counting paws**");
    }

    [Fact]
    public void Every_candidate_is_a_choice()
    {
        var response = Read("""
            {"candidates":[
              {"content":{"parts":[{"text":"one"}],"role":"model"},"finishReason":"STOP","index":0},
              {"content":{"parts":[{"text":"two"}],"role":"model"},"finishReason":"MAX_TOKENS","index":1}]}
            """);

        response.Choices.Select(c => (c.Index, c.Message.Content!.Text, c.FinishReason)).ShouldBe([(0, "one", "stop"), (1, "two", "length")]);
    }

    [Fact]
    public void A_create_time_becomes_created()
    {
        Read("""{"candidates":[],"createTime":"2026-03-10T14:54:45.066123Z"}""").Created.ShouldBe(new DateTimeOffset(2026, 3, 10, 14, 54, 45, TimeSpan.Zero).ToUnixTimeSeconds());
    }

    [Theory]
    [InlineData("""{"candidates": [{"content": {"parts": [{"text": "Hel""")]
    [InlineData("[]")]
    [InlineData("""{"error":{"code":500,"message":"x","status":"INTERNAL"}}""")]
    [InlineData("""{"candidates":["nope"]}""")]
    public void A_body_that_is_not_a_response_is_malformed(string body)
    {
        Should.Throw<JsonException>(() => Read(body));
    }

    private static ChatResponse Read(string body) => GeminiAdapter.Instance.ReadResponse(Encoding.UTF8.GetBytes(body));
}
