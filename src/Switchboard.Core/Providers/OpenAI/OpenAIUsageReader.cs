using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>Reads the <c>usage</c> object of an OpenAI response or stream chunk without deserializing the rest.</summary>
internal static class OpenAIUsageReader
{
    /// <summary>
    /// Walks one JSON object (a whole response or one chunk) to its end, proving it well-formed, and returns
    /// its usage when it has one. Throws <see cref="JsonException"/> on malformed JSON.
    /// </summary>
    public static TokenUsage? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a JSON object");
        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage && reader.TokenType == JsonTokenType.StartObject) usage = ReadUsage(ref reader);
            else reader.Skip();
        }
        reader.Read();
        return usage;
    }

    /// <summary>Reads a usage object; the reader stands on its start and is left on its end.</summary>
    public static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int input = 0, output = 0, cached = 0, reasoning = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8)) input = ReadInt(ref reader);
            else if (reader.ValueTextEquals("completion_tokens"u8)) output = ReadInt(ref reader);
            else if (reader.ValueTextEquals("prompt_tokens_details"u8)) cached = ReadDetail(ref reader, "cached_tokens"u8);
            else if (reader.ValueTextEquals("completion_tokens_details"u8)) reasoning = ReadDetail(ref reader, "reasoning_tokens"u8);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new TokenUsage(input, output, CachedInput: cached, Reasoning: reasoning);
    }

    private static int ReadDetail(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        var value = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name)) value = ReadInt(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return value;
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : 0;
    }
}
