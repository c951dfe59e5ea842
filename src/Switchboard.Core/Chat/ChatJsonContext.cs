using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>Source-generated JSON metadata for the chat types: no reflection on the hot path.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatResponse))]
[JsonSerializable(typeof(ChatChunk))]
[JsonSerializable(typeof(ChatUsage))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(List<ContentPart>))]
[JsonSerializable(typeof(string))]
public sealed partial class ChatJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The same metadata writing text as people read it (<c>'</c>, not <c>\u0027</c>), for error messages and
    /// other JSON that is never embedded in HTML.
    /// </summary>
    public static ChatJsonContext Readable { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
