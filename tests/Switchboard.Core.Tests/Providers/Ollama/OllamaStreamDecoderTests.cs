using System.Text;
using Shouldly;
using Switchboard.Providers.Ollama;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Ollama;

/// <summary>Ollama's NDJSON stream, with lines from its API reference (docs/api.md, "Chat request (Streaming)" and "(Streaming with tools)").</summary>
public sealed class OllamaStreamDecoderTests
{
    private const string TextStream =
        """
        {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":"The","images":null},"done":false}
        {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" sky"},"done":false}
        {"model":"llama3.2","created_at":"2023-08-04T08:52:19.385406455-07:00","message":{"role":"assistant","content":" is \"blue\"\n"},"done":false}
        {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","message":{"role":"assistant","content":""},"done":true,"total_duration":4883583458,"load_duration":1334875,"prompt_eval_count":26,"prompt_eval_duration":342546000,"eval_count":282,"eval_duration":4535599000}

        """;

    private const string ToolStream =
        """
        {"model":"llama3.2","created_at":"2025-07-07T20:22:19.184789Z","message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_weather","arguments":{"city":"Tokyo"}}}]},"done":false}
        {"model":"llama3.2","created_at":"2025-07-07T20:22:19.19314Z","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"total_duration":182242375,"load_duration":41295167,"prompt_eval_count":169,"prompt_eval_duration":24573166,"eval_count":15,"eval_duration":115959084}

        """;

    [Fact]
    public void A_text_stream_becomes_start_text_finish_and_usage()
    {
        var (log, decoder) = Decode(TextStream);

        log.Lines.ShouldBe(["Start(llama3.2)", "Text(The sky is \"blue\"\n)", "Finish(stop)", "Usage(26, 282)"]);
        decoder.Completed.ShouldBeTrue();
        decoder.Malformed.ShouldBeNull();
        decoder.Usage!.Value.Input.ShouldBe(26);
        decoder.Usage!.Value.Output.ShouldBe(282);
    }

    [Fact]
    public void A_stream_split_at_every_byte_decodes_the_same()
    {
        foreach (var payload in new[] { TextStream, ToolStream })
        {
            var bytes = Encoding.UTF8.GetBytes(payload);
            var (whole, _) = Decode(payload);
            for (var split = 1; split < bytes.Length; split++)
            {
                var log = new StreamEventLog();
                using var decoder = new OllamaStreamDecoder();
                decoder.Decode(bytes.AsSpan(0, split), log);
                decoder.Decode(bytes.AsSpan(split), log);
                log.Lines.ShouldBe(whole.Lines, $"split at byte {split}");
                decoder.Completed.ShouldBeTrue();
            }
        }
    }

    [Fact]
    public void A_stream_fed_one_byte_at_a_time_decodes_the_same()
    {
        var bytes = Encoding.UTF8.GetBytes(TextStream);
        var log = new StreamEventLog();
        using var decoder = new OllamaStreamDecoder();
        foreach (var b in bytes) decoder.Decode([b], log);

        log.Lines.ShouldBe(Decode(TextStream).Log.Lines);
    }

    [Fact]
    public void A_tool_call_arrives_whole_with_a_made_up_id_and_finishes_as_tool_calls()
    {
        var (log, decoder) = Decode(ToolStream);

        log.Lines.ShouldBe(["Start(llama3.2)", "ToolCallStart(0, get_weather)", """ToolCallArguments(0, {"city":"Tokyo"})""", "Finish(tool_calls)", "Usage(169, 15)"]);
        log.ToolCallIds.ShouldHaveSingleItem().ShouldStartWith("call_");
        decoder.Completed.ShouldBeTrue();
    }

    [Fact]
    public void Several_tool_calls_are_numbered_across_lines_and_keep_ids_ollama_gives()
    {
        var (log, _) = Decode("""
            {"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"id":"call_a","function":{"index":0,"name":"get_weather","arguments":{"city":"Paris"}}},{"function":{"index":1,"name":"get_time","arguments":{}}}]},"done":false}
            {"model":"qwen3","message":{"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"get_weather","arguments":{"city":"Rome","days":[1,2]}}}]},"done":false}
            {"model":"qwen3","message":{"role":"assistant","content":""},"done_reason":"stop","done":true,"prompt_eval_count":1,"eval_count":2}

            """);

        log.Lines.ShouldBe(
        [
            "Start(qwen3)",
            "ToolCallStart(0, get_weather)", """ToolCallArguments(0, {"city":"Paris"})""",
            "ToolCallStart(1, get_time)", "ToolCallArguments(1, {})",
            "ToolCallStart(2, get_weather)", """ToolCallArguments(2, {"city":"Rome","days":[1,2]})""",
            "Finish(tool_calls)", "Usage(1, 2)",
        ]);
        log.ToolCallIds[0].ShouldBe("call_a");
        log.ToolCallIds.Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public void Thinking_comes_as_reasoning_before_the_answer()
    {
        var (log, _) = Decode("""
            {"model":"qwen3","message":{"role":"assistant","content":"","thinking":"Let me think."},"done":false}
            {"model":"qwen3","message":{"role":"assistant","content":"Hi","thinking":" Done."},"done":false}
            {"model":"qwen3","message":{"role":"assistant","content":""},"done_reason":"length","done":true,"prompt_eval_count":3,"eval_count":40}

            """);

        log.Lines.ShouldBe(["Start(qwen3)", "Reasoning(Let me think. Done.)", "Text(Hi)", "Finish(length)", "Usage(3, 40)"]);
    }

    [Fact]
    public void An_error_line_stops_the_stream_with_ollamas_message()
    {
        var (log, decoder) = Decode("""
            {"model":"gemma4","created_at":"2025-10-26T17:21:21.196249Z","message":{"role":"assistant","content":" Yes"},"done":false}
            {"error":"an error was encountered while running the model"}

            """);

        decoder.Malformed.ShouldBe("Ollama reported an error mid-stream: an error was encountered while running the model");
        decoder.Completed.ShouldBeFalse();
        log.Lines.ShouldBe(["Start(gemma4)", "Text( Yes)"]);
    }

    [Fact]
    public void A_line_that_is_not_json_is_malformed_and_nothing_after_it_is_read()
    {
        var (log, decoder) = Decode("{\"model\":\"llama3.2\",\"message\":{\"content\":\"Hel\n{\"model\":\"llama3.2\",\"message\":{\"content\":\"lo\"},\"done\":true}\n");

        decoder.Malformed.ShouldNotBeNull();
        decoder.Completed.ShouldBeFalse();
        log.Lines.ShouldBeEmpty();
    }

    [Fact]
    public void A_stream_without_its_done_line_is_not_complete()
    {
        var lines = TextStream.Split('\n');
        var (_, decoder) = Decode(string.Join('\n', lines.Take(3)) + "\n");

        decoder.Completed.ShouldBeFalse();
        decoder.Malformed.ShouldBeNull();
    }

    private static (StreamEventLog Log, OllamaStreamDecoder Decoder) Decode(string payload)
    {
        var log = new StreamEventLog();
        var decoder = new OllamaStreamDecoder();
        decoder.Decode(Encoding.UTF8.GetBytes(payload.ReplaceLineEndings("\n")), log);
        return (log, decoder);
    }
}
