using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

internal sealed class ChatContentConverter : JsonConverter<ChatContent>
{
    public override ChatContent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => ChatContent.FromText(reader.GetString()!),
            JsonTokenType.StartArray => ChatContent.FromParts(
                JsonSerializer.Deserialize(ref reader, ChatJsonContext.Default.ListContentPart) ?? []),
            _ => throw new JsonException("content must be a string or an array of content parts."),
        };

    public override void Write(Utf8JsonWriter writer, ChatContent value, JsonSerializerOptions options)
    {
        if (value.Parts is null)
        {
            writer.WriteStringValue(value.Text);
            return;
        }
        JsonSerializer.Serialize(writer, value.Parts, ChatJsonContext.Default.ListContentPart);
    }
}
