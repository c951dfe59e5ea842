using System.Buffers;
using BenchmarkDotNet.Attributes;
using Switchboard.Providers.OpenAI;
using Switchboard.Usage;

namespace Switchboard.Benchmarks;

/// <summary>
/// The tap every streamed answer goes through: a 20-chunk OpenAI <c>chat.completion.chunk</c> stream (usage
/// chunk and <c>data: [DONE]</c> included) relayed by <see cref="OpenAIStreamTap.Relay"/> into a reused writer
/// (standing in for the response's pipe) in the read sizes a socket really delivers, per whole stream: every
/// line checked, every chunk parsed once, whole lines copied. Plus the usage read of a whole non-streamed answer.
/// </summary>
[MemoryDiagnoser]
public class StreamBenchmarks
{
    private byte[] _stream = [];
    private readonly Dictionary<string, byte[][]> _reads = [];
    private byte[] _completion = [];
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);

    [GlobalSetup]
    public void Setup()
    {
        var events = Payloads.ChatCompletionStreamEvents();
        _stream = Payloads.Concat(events);
        _reads["event"] = [.. events];
        _reads["16KB"] = [.. _stream.Chunk(16 * 1024)];
        _reads["100B"] = [.. _stream.Chunk(100)];
        _completion = Payloads.ChatCompletion();

        foreach (var (name, reads) in _reads)
        {
            _output.ResetWrittenCount();
            using var tap = new OpenAIStreamTap();
            foreach (var read in reads) tap.Relay(read, _output);
            if (!tap.Done || tap.Usage is not { Input: 231, Output: 17 } || tap.Malformed is not null || !_output.WrittenSpan.SequenceEqual(_stream))
                throw new InvalidOperationException($"the tap did not relay the whole stream and read its usage with {name} reads");
        }
        if (OpenAIUsageReader.Read(_completion) is not { Input: 231, Output: 97, CachedInput: 128 })
            throw new InvalidOperationException("the usage reader did not find the completion's usage");
        Console.WriteLine($"// stream: {_stream.Length} bytes, {Payloads.StreamChunks} chunks + [DONE]; completion: {_completion.Length} bytes");
    }

    /// <summary>
    /// One whole stream relayed through a new tap, as the endpoint does per request. <paramref name="reads"/>:
    /// <c>event</c>, one read per SSE event, as when the provider flushes each chunk and the gateway keeps up;
    /// <c>16KB</c>, the gateway's copy buffer, the whole stream in one read, as when it falls behind;
    /// <c>100B</c>, reads smaller than an event, so most lines are split across reads (slow links, small TLS records).
    /// </summary>
    [Benchmark]
    [Arguments("event")]
    [Arguments("16KB")]
    [Arguments("100B")]
    public TokenUsage? TapStream(string reads)
    {
        _output.ResetWrittenCount();
        using var tap = new OpenAIStreamTap();
        foreach (var read in _reads[reads]) tap.Relay(read, _output);
        return tap.Usage;
    }

    /// <summary>Usage of a whole ~1 KB <c>chat.completion</c>; as the endpoint does for every non-streamed answer.</summary>
    [Benchmark]
    public TokenUsage? ReadCompletionUsage() => OpenAIUsageReader.Read(_completion);
}
