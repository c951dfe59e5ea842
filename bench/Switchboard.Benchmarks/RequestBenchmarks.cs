using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Execution;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Benchmarks;

/// <summary>
/// What the gateway does to a request body before calling upstream, on a ~1 KB OpenAI chat request:
/// the one-pass scan, the model-only rewrite, both together with resolution and checks (<c>Prepare</c>),
/// and, for comparison, the full deserialize + serialize round trip that pass-through avoids.
/// </summary>
[MemoryDiagnoser]
public class RequestBenchmarks : IDisposable
{
    private byte[] _body = [];
    private byte[] _longConversation = [];
    private SwitchboardRuntime _runtime = null!;
    private ChatRequestEnvelope _envelope = null!;
    private ModelResolution _resolution = null!;
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly Utf8JsonWriter _json = new(Stream.Null);

    [GlobalSetup]
    public void Setup()
    {
        _body = Payloads.ChatRequest();
        _longConversation = Payloads.LongConversation();
        _runtime = new SwitchboardRuntime(ConfigLoader.Parse("", "bench.yaml", Payloads.Environment()), environment: Payloads.Environment());
        _envelope = ChatRequestScanner.Scan(_body);
        _resolution = _runtime.Resolver.Resolve(_envelope.Model);

        // Prove the benchmarks do what they say before timing them.
        _runtime.Prepare(OpenAIClientDialect.Instance, _body, _output);
        if (!_output.WrittenSpan.SequenceEqual(_body)) throw new InvalidOperationException("a model-only rewrite of gpt-4o-mini should give the body back unchanged");
        if (ChatRequestScanner.Scan(_longConversation).MessageCount != 51) throw new InvalidOperationException("the long conversation should have 51 messages");
        Console.WriteLine($"// request body: {_body.Length} bytes; long conversation: {_longConversation.Length} bytes, 51 messages");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _runtime?.Dispose();
        _json.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public object Scan() => ChatRequestScanner.Scan(_body);

    /// <summary>An agent's 51-message conversation: shows what the scan costs per message.</summary>
    [Benchmark]
    public object ScanLongConversation() => ChatRequestScanner.Scan(_longConversation);

    [Benchmark]
    public int Rewrite()
    {
        _output.ResetWrittenCount();
        ChatRequestRewriter.Write(_body, _envelope, _resolution.ModelOnlyEdits, _output);
        return _output.WrittenCount;
    }

    /// <summary>
    /// Scan, resolve (cached), key check, parameter policy and rewrite, for an OpenAI client to an OpenAI
    /// upstream (pass-through): the gateway's whole request preparation.
    /// </summary>
    [Benchmark(Baseline = true)]
    public object Prepare()
    {
        _output.ResetWrittenCount();
        return _runtime.Prepare(OpenAIClientDialect.Instance, _body, _output);
    }

    /// <summary>As the endpoint does it: a pooled writer rented and returned per request.</summary>
    [Benchmark]
    public object PreparePooled()
    {
        using var output = new PooledBufferWriter(_body.Length + 128);
        return _runtime.Prepare(OpenAIClientDialect.Instance, _body, output);
    }

    /// <summary>What a gateway that models every request would do instead of pass-through.</summary>
    [Benchmark]
    public int RoundTrip()
    {
        var request = JsonSerializer.Deserialize(_body, ChatJsonContext.Default.ChatRequest)!;
        _output.ResetWrittenCount();
        _json.Reset(_output);
        JsonSerializer.Serialize(_json, request, ChatJsonContext.Default.ChatRequest);
        _json.Flush();
        return _output.WrittenCount;
    }
}
