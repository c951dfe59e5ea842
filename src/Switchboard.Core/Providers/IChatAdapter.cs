using System.Buffers;
using Switchboard.Chat;

namespace Switchboard.Providers;

/// <summary>
/// Speaks one provider's wire format: sends a body already in its dialect, classifies the provider's errors,
/// and translates between its format and the canonical (OpenAI-shaped) one for calls that cross dialects.
/// It knows nothing of routing.
/// </summary>
public interface IChatAdapter
{
    WireDialect Dialect { get; }

    /// <summary>Sends the call; returns once the response headers have arrived, the body still to be read.</summary>
    Task<UpstreamResponse> SendAsync(UpstreamCall call, CancellationToken cancellationToken);

    /// <summary>Classifies an error response by its status and body, once, for retry, fallback and the client's error type.</summary>
    ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body);

    /// <summary>Writes a canonical request in this provider's format, for <paramref name="model"/>; a stream asks for usage where the provider can give it.</summary>
    void WriteRequest(ChatRequest request, string model, bool stream, IBufferWriter<byte> output);

    /// <summary>Reads this provider's whole answer as a canonical response; throws <see cref="System.Text.Json.JsonException"/> when it is malformed.</summary>
    ChatResponse ReadResponse(ReadOnlySpan<byte> body);

    /// <summary>A decoder for this provider's streamed answers.</summary>
    IStreamDecoder CreateStreamDecoder();
}
