using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

internal sealed class StopSequencesConverter : JsonConverter<StopSequences>
{
    public override StopSequences? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return new StopSequences([reader.GetString()!], wasSingle: true);
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("stop must be a string or an array of strings.");
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException("stop must be a string or an array of strings.");
            values.Add(reader.GetString()!);
        }
        return new StopSequences(values);
    }

    public override void Write(Utf8JsonWriter writer, StopSequences value, JsonSerializerOptions options)
    {
        if (value.WasSingle && value.Values.Count == 1)
        {
            writer.WriteStringValue(value.Values[0]);
            return;
        }
        writer.WriteStartArray();
        foreach (var stop in value.Values) writer.WriteStringValue(stop);
        writer.WriteEndArray();
    }
}
