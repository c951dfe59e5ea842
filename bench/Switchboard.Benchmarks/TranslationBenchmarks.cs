using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Switchboard.Chat;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Benchmarks;

/// <summary>
/// Translation across dialects, per whole answer and per 200-chunk stream, in each direction between OpenAI and
/// Anthropic: the provider's bytes decoded into canonical events and encoded in the client's dialect into a reused
/// writer (standing in for the response's pipe), one read per event as a provider flushes them. Divide a stream's
/// <c>Allocated</c> by 200 for the allocation per chunk.
/// </summary>
[MemoryDiagnoser]
public class TranslationBenchmarks
{
    private const int Chunks = 200;

    private byte[][] _openAIStream = [];
    private byte[][] _anthropicStream = [];
    private byte[] _openAIAnswer = [];
    private byte[] _anthropicAnswer = [];
    private ChatRequestEnvelope _openAIRequest = null!;
    private ChatRequestEnvelope _anthropicRequest = null!;
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        _openAIStream = [.. OpenAIStream()];
        _anthropicStream = [.. AnthropicStream()];
        _openAIAnswer = Payloads.ChatCompletion();
        _anthropicAnswer = Encoding.UTF8.GetBytes("""
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Hello! The weather in Paris is mild today, around 18 degrees with light clouds and a gentle breeze from the west."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":231,"cache_creation_input_tokens":0,"cache_read_input_tokens":128,"output_tokens":97}}
            """);
        _openAIRequest = ChatRequestScanner.Scan(Payloads.ChatRequest(stream: true));
        _anthropicRequest = AnthropicClientDialect.Instance.Scan(Encoding.UTF8.GetBytes(
            """{"model":"gpt-4o-mini","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hello"}]}"""));

        if (!AnthropicToOpenAIStream().Contains("[DONE]", StringComparison.Ordinal) || !OpenAIToAnthropicStream().Contains("message_stop", StringComparison.Ordinal))
            throw new InvalidOperationException("a translated stream did not end with its dialect's final event");
        Console.WriteLine($"// streams: {Chunks} text deltas each; OpenAI {_openAIStream.Sum(r => r.Length)} bytes, Anthropic {_anthropicStream.Sum(r => r.Length)} bytes");
    }

    /// <summary>An OpenAI client reading an Anthropic provider's stream.</summary>
    [Benchmark]
    public string AnthropicToOpenAIStream() => Translate(AnthropicAdapter.Instance.CreateStreamDecoder(), OpenAIClientDialect.Instance, _openAIRequest, _anthropicStream);

    /// <summary>An Anthropic client (Claude Code, the Anthropic SDK) reading an OpenAI provider's stream.</summary>
    [Benchmark]
    public string OpenAIToAnthropicStream() => Translate(OpenAICompatibleAdapter.Instance.CreateStreamDecoder(), AnthropicClientDialect.Instance, _anthropicRequest, _openAIStream);

    /// <summary>An OpenAI client reading an Anthropic provider's whole answer.</summary>
    [Benchmark]
    public int AnthropicToOpenAIWhole()
    {
        _output.ResetWrittenCount();
        OpenAIClientDialect.Instance.WriteResponse(AnthropicAdapter.Instance.ReadResponse(_anthropicAnswer), _output);
        return _output.WrittenCount;
    }

    /// <summary>An Anthropic client reading an OpenAI provider's whole answer.</summary>
    [Benchmark]
    public int OpenAIToAnthropicWhole()
    {
        _output.ResetWrittenCount();
        AnthropicClientDialect.Instance.WriteResponse(OpenAICompatibleAdapter.Instance.ReadResponse(_openAIAnswer), _output);
        return _output.WrittenCount;
    }

    private string Translate(IStreamDecoder decoder, IClientDialect client, ChatRequestEnvelope request, byte[][] reads)
    {
        _output.ResetWrittenCount();
        using (decoder)
        using (var encoder = client.CreateStreamEncoder(_output, request, "model", 1_700_000_000))
        {
            foreach (var read in reads) decoder.Decode(read, encoder);
            encoder.Complete();
        }
        // Only the last bytes are decoded to a string, so the check costs the same for every run.
        return Encoding.UTF8.GetString(_output.WrittenSpan[^Math.Min(64, _output.WrittenCount)..]);
    }

    private static IEnumerable<byte[]> OpenAIStream()
    {
        const string head = "{\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":";
        yield return Encoding.UTF8.GetBytes($"data: {head}{{\"role\":\"assistant\",\"content\":\"\"}},\"finish_reason\":null}}]}}\n\n");
        for (var i = 0; i < Chunks; i++) yield return Encoding.UTF8.GetBytes($"data: {head}{{\"content\":\" word{i}\"}},\"finish_reason\":null}}]}}\n\n");
        yield return Encoding.UTF8.GetBytes($"data: {head}{{}},\"finish_reason\":\"stop\"}}]}}\n\n");
        yield return Encoding.UTF8.GetBytes("data: {\"id\":\"chatcmpl-123\",\"object\":\"chat.completion.chunk\",\"created\":1694268190,\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":231,\"completion_tokens\":200,\"total_tokens\":431,\"prompt_tokens_details\":{\"cached_tokens\":128},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
        yield return "data: [DONE]\n\n"u8.ToArray();
    }

    private static IEnumerable<byte[]> AnthropicStream()
    {
        yield return Encoding.UTF8.GetBytes("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":103,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":128,\"output_tokens\":1}}}\n\n");
        yield return "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"u8.ToArray();
        for (var i = 0; i < Chunks; i++)
            yield return Encoding.UTF8.GetBytes($"event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\" word{i}\"}}}}\n\n");
        yield return "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"u8.ToArray();
        yield return "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":200}}\n\n"u8.ToArray();
        yield return "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8.ToArray();
    }
}
