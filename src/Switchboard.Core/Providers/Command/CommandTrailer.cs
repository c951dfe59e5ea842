using System.Text;
using System.Text.Json;

namespace Switchboard.Providers.Command;

/// <summary>
/// The end of a command's answer. The answer body is the program's output as it wrote it, then, once the program has
/// exited cleanly, one NUL byte and a line of JSON: <c>{"model":...,"prompt_chars":...,"created":...}</c>. It is the
/// terminal event a stream decoder needs (a program killed or failing never gets one, so its answer is never taken for
/// whole) and it carries what the output alone cannot tell: the model and the prompt's size, for the usage estimate.
/// NUL bytes in the output itself are dropped, so the marker is unambiguous.
/// </summary>
internal static class CommandTrailer
{
    public const byte Marker = 0;

    /// <summary>The trailer, marker included.</summary>
    public static byte[] Create(string model, int promptChars, long created)
    {
        using var buffer = new MemoryStream();
        buffer.WriteByte(Marker);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model"u8, model);
            json.WriteNumber("prompt_chars"u8, promptChars);
            json.WriteNumber("created"u8, created);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads a trailer's JSON (after the marker); throws <see cref="JsonException"/> when it is not one.</summary>
    public static (string Model, int PromptChars, long Created) Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json.TrimEnd("\r\n"u8));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the end marker is not a JSON object");
        string model = "";
        int promptChars = 0;
        long created = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                model = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("prompt_chars"u8))
            {
                reader.Read();
                promptChars = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("created"u8))
            {
                reader.Read();
                created = reader.GetInt64();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("the end marker did not end");
        return (model, promptChars, created);
    }

    /// <summary>
    /// Tokens estimated from characters, four to a token (the usual rule of thumb for English text): programs do not
    /// report what they used, and an estimate marked as one is more use to budgets than nothing.
    /// </summary>
    public static int EstimateTokens(int characters) => (characters + 3) / 4;

    /// <summary>Characters (UTF-16 units, as <see cref="string.Length"/> counts them) in UTF-8 text.</summary>
    public static int Characters(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetCharCount(utf8);

    /// <summary>Drops NUL bytes in place, so output can never be mistaken for the marker; returns the new length.</summary>
    public static int RemoveMarkers(Span<byte> output)
    {
        var first = output.IndexOf(Marker);
        if (first < 0) return output.Length;
        var kept = first;
        for (var i = first + 1; i < output.Length; i++)
        {
            if (output[i] != Marker) output[kept++] = output[i];
        }
        return kept;
    }
}
