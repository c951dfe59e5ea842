using System.Buffers;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Anthropic's Messages API as a client speaks it to the gateway's <c>POST /v1/messages</c> (Anthropic SDKs, Claude
/// Code): how its requests are checked and read, and how answers, streams, usage and errors are written back to it.
/// </summary>
internal sealed class AnthropicClientDialect : IClientDialect
{
    public static readonly AnthropicClientDialect Instance = new();

    public WireDialect Dialect => WireDialect.Anthropic;

    /// <summary>Claude Code and the SDKs switch features on with <c>anthropic-beta</c>; a pass-through must keep them on.</summary>
    public IReadOnlyList<string> ForwardedHeaders { get; } = ["anthropic-beta", "anthropic-version"];

    public ChatRequestEnvelope Scan(ReadOnlySpan<byte> body) => AnthropicRequestScanner.Scan(body);

    public ChatRequest ReadRequest(ReadOnlySpan<byte> body) => AnthropicRequestReader.Read(body);

    public void WriteResponse(ChatResponse response, IBufferWriter<byte> output) => AnthropicResponseWriter.Write(response, output);

    public IStreamEncoder CreateStreamEncoder(IBufferWriter<byte> output, ChatRequestEnvelope request, string model, long created) =>
        new AnthropicStreamEncoder(output, model);

    public IStreamRelay CreateRelay(ChatRequestEnvelope request) => new AnthropicStreamTap();

    /// <summary>Proves an Anthropic message well-formed (a JSON object with <c>content</c>) and reads its usage.</summary>
    public TokenUsage? ReadUsage(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a JSON object");
        var usage = default(AnthropicUsageCounts);
        var sawContent = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            sawContent |= reader.ValueTextEquals("content"u8);
            reader.Read();
            if (isUsage && reader.TokenType == JsonTokenType.StartObject) usage.Read(ref reader);
            else reader.Skip();
        }
        reader.Read();
        if (!sawContent) throw new JsonException("the body is not a message: it has no content");
        return usage.Seen ? usage.ToTokenUsage() : null;
    }

    /// <summary>Anthropic's error body: <c>{"type":"error","error":{"type":"overloaded_error","message":"..."}}</c>.</summary>
    public void WriteError(SwitchboardException error, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, AnthropicResponseWriter.WriterOptions);
        WriteErrorObject(json, error);
    }

    /// <summary>The same error as an <c>error</c> event, the way Anthropic ends a stream that fails after it began.</summary>
    public void WriteErrorEvent(SwitchboardException error, IBufferWriter<byte> output)
    {
        output.Write("event: error\ndata: "u8);
        using (var json = new Utf8JsonWriter(output, AnthropicResponseWriter.WriterOptions)) WriteErrorObject(json, error);
        output.Write("\n\n"u8);
    }

    /// <summary>
    /// Answers <c>POST /v1/messages/count_tokens</c> with <c>{"input_tokens": N}</c>, N estimated from the request
    /// body as <see cref="AnthropicTokenEstimator"/> describes; throws a 400 <see cref="SwitchboardException"/> for a
    /// body that is not a request.
    /// </summary>
    public static void CountTokens(ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var tokens = AnthropicTokenEstimator.Estimate(body);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteNumber("input_tokens"u8, tokens);
        json.WriteEndObject();
    }

    private static void WriteErrorObject(Utf8JsonWriter json, SwitchboardException error)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "error"u8);
        json.WriteStartObject("error"u8);
        json.WriteString("type"u8, AnthropicErrors.TypeFor(error));
        json.WriteString("message"u8, error.Message);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
