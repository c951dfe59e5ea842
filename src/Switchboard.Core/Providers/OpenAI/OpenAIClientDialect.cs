using System.Buffers;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>Clients that speak OpenAI's chat completions: the OpenAI SDKs and everything honouring <c>OPENAI_BASE_URL</c>.</summary>
internal sealed class OpenAIClientDialect : IClientDialect
{
    public static readonly OpenAIClientDialect Instance = new();

    public WireDialect Dialect => WireDialect.OpenAI;

    public IReadOnlyList<string> ForwardedHeaders => [];

    public ChatRequestEnvelope Scan(ReadOnlySpan<byte> body) => ChatRequestScanner.Scan(body);

    public ChatRequest ReadRequest(ReadOnlySpan<byte> body) =>
        JsonSerializer.Deserialize(body, ChatJsonContext.Default.ChatRequest) ?? throw SwitchboardException.BadRequest("The request body is null.");

    public void WriteResponse(ChatResponse response, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(json, response, ChatJsonContext.Readable.ChatResponse);
    }

    public IStreamEncoder CreateStreamEncoder(IBufferWriter<byte> output, ChatRequestEnvelope request, string model, long created) =>
        new OpenAIStreamEncoder(output, request.IncludeUsage == true, model, created);

    /// <summary>
    /// The gateway asks every OpenAI-compatible provider for the usage at the end of a stream, to account for it; a
    /// client that did not ask for it does not get that extra chunk.
    /// </summary>
    public IStreamRelay CreateRelay(ChatRequestEnvelope request) => new OpenAIStreamTap(forwardUsageChunk: request.IncludeUsage == true);

    public TokenUsage? ReadUsage(ReadOnlySpan<byte> body) => OpenAIUsageReader.Read(body);

    public void WriteError(SwitchboardException error, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        JsonSerializer.Serialize(json, Body(error), ChatJsonContext.Readable.ErrorResponse);
    }

    /// <summary>An error inside a started stream, as OpenAI's API sends one.</summary>
    public void WriteErrorEvent(SwitchboardException error, IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        WriteError(error, output);
        output.Write("\n\n"u8);
    }

    private static ErrorResponse Body(SwitchboardException error) => new()
    {
        Error = new ErrorDetail { Message = error.Message, Type = TypeOf(error.Category), Param = error.Param, Code = error.Code },
    };

    /// <summary>OpenAI's error types; an unknown model is an <c>invalid_request_error</c> with code <c>model_not_found</c> there too.</summary>
    internal static string TypeOf(ErrorCategory category) => category switch
    {
        ErrorCategory.Authentication => "authentication_error",
        ErrorCategory.RateLimited => "rate_limit_error",
        ErrorCategory.Timeout => "timeout_error",
        ErrorCategory.Unavailable => "api_error",
        _ => "invalid_request_error",
    };
}
