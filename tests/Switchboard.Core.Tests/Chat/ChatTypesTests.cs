using System.Text.Json;
using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Chat;
using Xunit;

namespace Switchboard.Core.Tests.Chat;

public sealed class ChatTypesTests
{
    private const string FullRequest = """
        {
          "model": "gpt-4o",
          "messages": [
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": [{"type": "text", "text": "What is in this image?"}, {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "high", "future": 1}}, {"type": "input_audio", "input_audio": {"data": "AAA", "format": "wav"}}]},
            {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Paris\"}"}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": "22C"}
          ],
          "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}, "strict": true}}],
          "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
          "parallel_tool_calls": false,
          "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
          "temperature": 0.5, "top_p": 0.9, "max_tokens": 100, "max_completion_tokens": 200,
          "stop": "END", "seed": 42, "n": 1, "stream": true, "stream_options": {"include_usage": true},
          "metadata": {"agent": "pricing", "priority": 0}, "user": "u-1",
          "reasoning_effort": "low", "prediction": {"type": "content", "content": "x"}
        }
        """;

    [Fact]
    public void A_request_round_trips_with_unknown_fields_at_every_level()
    {
        var request = JsonSerializer.Deserialize(FullRequest, ChatJsonContext.Default.ChatRequest)!;

        var written = JsonSerializer.Serialize(request, ChatJsonContext.Default.ChatRequest);

        JsonNode.DeepEquals(JsonNode.Parse(written), JsonNode.Parse(FullRequest)).ShouldBeTrue(written);
    }

    [Fact]
    public void Typed_fields_are_read_into_their_shapes()
    {
        var request = JsonSerializer.Deserialize(FullRequest, ChatJsonContext.Default.ChatRequest)!;

        request.Messages[1].Content!.Parts![1].ImageUrl!.Detail.ShouldBe("high");
        request.Messages[2].ToolCalls![0].Function.Name.ShouldBe("get_weather");
        request.Messages[3].ToolCallId.ShouldBe("call_1");
        request.ToolChoice!.FunctionName.ShouldBe("get_weather");
        request.Stop!.Values.ShouldBe(["END"]);
        request.StreamOptions!.IncludeUsage.ShouldBe(true);
        request.Metadata!["agent"].GetString().ShouldBe("pricing");
        request.AdditionalProperties!.Keys.ShouldBe(["reasoning_effort", "prediction"], ignoreOrder: true);
    }

    [Fact]
    public void Responses_and_chunks_keep_cached_and_reasoning_tokens()
    {
        const string response = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"o3","choices":[{"index":0,"message":{"role":"assistant","content":"hi","annotations":[]},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}},"service_tier":"default"}
            """;

        var parsed = JsonSerializer.Deserialize(response, ChatJsonContext.Default.ChatResponse)!;

        parsed.Usage!.PromptTokensDetails!.CachedTokens.ShouldBe(4);
        parsed.Usage.CompletionTokensDetails!.ReasoningTokens.ShouldBe(2);
        JsonNode.DeepEquals(JsonNode.Parse(JsonSerializer.Serialize(parsed, ChatJsonContext.Default.ChatResponse)), JsonNode.Parse(response)).ShouldBeTrue();
    }

    [Fact]
    public void A_stream_chunk_with_tool_call_fragments_round_trips()
    {
        const string chunk = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}""";

        var parsed = JsonSerializer.Deserialize(chunk, ChatJsonContext.Default.ChatChunk)!;

        parsed.Choices[0].Delta.ToolCalls![0].Function!.Name.ShouldBe("f");
        var written = JsonNode.Parse(JsonSerializer.Serialize(parsed, ChatJsonContext.Default.ChatChunk))!;
        written["choices"]![0]!["delta"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>().ShouldBe("");
    }
}
