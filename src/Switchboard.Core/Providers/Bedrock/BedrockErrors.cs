using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Bedrock's errors: a status, the error type in the <c>x-amzn-ErrorType</c> header
/// (<c>ThrottlingException:http://internal.amazon.com/coral/...</c>) and a body of <c>{"message": "..."}</c>.
/// </summary>
/// <remarks>
/// <see cref="IChatAdapter.Classify"/> sees the status and the body, not the headers, and the body alone cannot tell
/// a <c>ModelNotReadyException</c> from a <c>ThrottlingException</c> (both 429). So <see cref="BedrockAdapter"/> reads an
/// error body once, as it arrives (it is small and about to be read anyway), and hands on a body that carries the
/// type as <c>__type</c>, the field AWS's JSON protocols use for it, and the message as <c>message</c> whatever its case.
/// </remarks>
internal static class BedrockErrors
{
    /// <summary>The header AWS names the error type in.</summary>
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    // As much of an error body as UpstreamErrors reads; more is never an error message.
    private const int MaxErrorBody = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads a failed response's body (bounded) and returns it with the header's error type folded in.</summary>
    public static async Task<Stream> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxErrorBody];
        var length = 0;
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            try
            {
                int read;
                while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0) length += read;
            }
            catch (IOException)
            {
                // A cut error body still has a status and a type worth reporting.
            }
        }
        var type = response.Headers.TryGetValues(ErrorTypeHeader, out var values) ? values.FirstOrDefault() : null;
        return new MemoryStream(WithType(buffer.AsSpan(0, length), type), writable: false);
    }

    /// <summary>
    /// The error body as <c>{"__type": type, "message": ..., other fields}</c>: the type from the body when it has one,
    /// else from <paramref name="headerType"/>; a body that is not a JSON object becomes the message.
    /// </summary>
    public static byte[] WithType(ReadOnlySpan<byte> body, string? headerType)
    {
        var type = ShortType(headerType);
        JsonDocument? document = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, a cut body): its text is the message.
        }
        using (document)
        {
            if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
            {
                if (type is null) return body.ToArray();
                var text = Encoding.UTF8.GetString(body).Trim();
                return Json(json =>
                {
                    json.WriteString("__type"u8, type);
                    if (text.Length > 0) json.WriteString("message"u8, text);
                });
            }
            var root = document.RootElement;
            return Json(json =>
            {
                if (root.TryGetProperty("__type", out var bodyType) && bodyType.ValueKind == JsonValueKind.String) json.WriteString("__type"u8, ShortType(bodyType.GetString()));
                else if (type is not null) json.WriteString("__type"u8, type);
                if (!root.TryGetProperty("message", out _) && root.TryGetProperty("Message", out var message)) json.WriteString("message"u8, message.ToString());
                foreach (var property in root.EnumerateObject())
                {
                    if (property.NameEquals("__type") || property.NameEquals("Message")) continue;
                    property.WriteTo(json);
                }
            });
        }
    }

    /// <summary>
    /// Classifies by the error type when the body names one (see <see cref="WithType"/>), else by the status. A
    /// <c>ValidationException</c> about the input's length is the context window; one about content filtering is policy.
    /// </summary>
    public static ErrorCategory Classify(int statusCode, ReadOnlySpan<byte> body)
    {
        var (type, message) = Describe(body);
        var category = type switch
        {
            "AccessDeniedException" or "UnrecognizedClientException" or "InvalidSignatureException" or "IncompleteSignatureException"
                or "MissingAuthenticationTokenException" or "ExpiredTokenException" or "InvalidClientTokenId" or "SignatureDoesNotMatch"
                or "NotAuthorized" => ErrorCategory.Authentication,
            "ResourceNotFoundException" or "UnknownOperationException" => ErrorCategory.NotFound,
            "ThrottlingException" or "ServiceQuotaExceededException" or "TooManyRequestsException" => ErrorCategory.RateLimited,
            "ModelTimeoutException" => ErrorCategory.Timeout,
            "ModelNotReadyException" or "ServiceUnavailableException" or "InternalServerException" or "InternalFailure"
                or "ModelErrorException" or "ModelStreamErrorException" => ErrorCategory.Unavailable,
            "ValidationException" => ErrorCategory.BadRequest,
            _ => statusCode switch
            {
                401 or 403 => ErrorCategory.Authentication,
                404 => ErrorCategory.NotFound,
                408 or 504 => ErrorCategory.Timeout,
                429 => ErrorCategory.RateLimited,
                >= 500 or 424 => ErrorCategory.Unavailable,
                _ => ErrorCategory.BadRequest,
            },
        };
        if (category != ErrorCategory.BadRequest || message is null) return category;
        if (SaysTooLong(message)) return ErrorCategory.ContextWindowExceeded;
        if (SaysFiltered(message)) return ErrorCategory.ContentPolicy;
        return category;
    }

    /// <summary>The bare exception name of an error type written as <c>Name:namespace</c> (the header) or <c>namespace#Name</c> (a body's <c>__type</c>).</summary>
    public static string? ShortType(string? type)
    {
        if (string.IsNullOrWhiteSpace(type)) return null;
        var hash = type.LastIndexOf('#');
        if (hash >= 0) type = type[(hash + 1)..];
        var colon = type.IndexOf(':');
        if (colon >= 0) type = type[..colon];
        return type.Trim();
    }

    // Bedrock words it "Input is too long for requested model.", Claude behind it "prompt is too long: 215000 tokens > 200000 maximum".
    private static bool SaysTooLong(string message) =>
        message.Contains("too long", StringComparison.OrdinalIgnoreCase)
        || message.Contains("context window", StringComparison.OrdinalIgnoreCase)
        || message.Contains("context length", StringComparison.OrdinalIgnoreCase)
        || message.Contains("too many input tokens", StringComparison.OrdinalIgnoreCase)
        || message.Contains("maximum context", StringComparison.OrdinalIgnoreCase);

    private static bool SaysFiltered(string message) =>
        message.Contains("content filter", StringComparison.OrdinalIgnoreCase)
        || message.Contains("content policy", StringComparison.OrdinalIgnoreCase)
        || message.Contains("guardrail", StringComparison.OrdinalIgnoreCase);

    private static (string? Type, string? Message) Describe(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (null, null);
            string? type = null, message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("__type"u8);
                var isMessage = reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("Message"u8);
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && isType) type = ShortType(reader.GetString());
                else if (reader.TokenType == JsonTokenType.String && isMessage) message = reader.GetString();
                else reader.Skip();
            }
            return (type, message);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static byte[] Json(Action<Utf8JsonWriter> writeMembers)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            writeMembers(json);
            json.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
