using System.Buffers;
using Switchboard.Usage;

namespace Switchboard.Chat;

/// <summary>
/// The wire format a client speaks to the gateway (OpenAI chat completions, Anthropic messages): how its requests
/// are read, and how answers, streams and errors are written back to it.
/// </summary>
internal interface IClientDialect
{
    Providers.WireDialect Dialect { get; }

    /// <summary>Request headers that describe a body in this dialect and go along with it when it passes through untranslated.</summary>
    IReadOnlyList<string> ForwardedHeaders { get; }

    /// <summary>Checks a request in one pass and says where its top-level properties are (see <see cref="ChatRequestScanner"/>).</summary>
    ChatRequestEnvelope Scan(ReadOnlySpan<byte> body);

    /// <summary>The request in canonical form, for an upstream of another dialect.</summary>
    ChatRequest ReadRequest(ReadOnlySpan<byte> body);

    /// <summary>Writes a canonical answer in this dialect.</summary>
    void WriteResponse(ChatResponse response, IBufferWriter<byte> output);

    /// <summary>An encoder of canonical stream events in this dialect; <paramref name="model"/> stands in until the upstream names its own.</summary>
    IStreamEncoder CreateStreamEncoder(IBufferWriter<byte> output, ChatRequestEnvelope request, string model, long created);

    /// <summary>A relay for a stream that is already in this dialect, asked for by <paramref name="request"/>.</summary>
    IStreamRelay CreateRelay(ChatRequestEnvelope request);

    /// <summary>Proves a same-dialect whole answer well-formed and reads its usage; throws <see cref="System.Text.Json.JsonException"/> when malformed.</summary>
    TokenUsage? ReadUsage(ReadOnlySpan<byte> body);

    /// <summary>Writes an error as this dialect's error body.</summary>
    void WriteError(SwitchboardException error, IBufferWriter<byte> output);

    /// <summary>Writes an error as this dialect's in-stream error event, for a stream that has started.</summary>
    void WriteErrorEvent(SwitchboardException error, IBufferWriter<byte> output);
}
