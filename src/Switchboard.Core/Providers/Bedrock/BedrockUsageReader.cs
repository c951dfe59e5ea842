using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.Bedrock;

/// <summary>Reads Bedrock's <c>TokenUsage</c> object, of a whole answer or of a stream's <c>metadata</c> event.</summary>
internal static class BedrockUsageReader
{
    /// <summary>
    /// Reads a usage object; the reader stands on its start and is left on its end. Bedrock's <c>inputTokens</c> counts
    /// only the prompt that was neither read from nor written to the cache (its prompt-caching guide: total input =
    /// <c>inputTokens + cacheReadInputTokens + cacheWriteInputTokens</c>), so the three are added up for the whole prompt.
    /// <c>outputTokens</c> already holds any reasoning, which Bedrock does not count apart.
    /// </summary>
    public static TokenUsage Read(ref Utf8JsonReader reader)
    {
        int input = 0, output = 0, cacheRead = 0, cacheWrite = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputTokens"u8)) input = ReadInt(ref reader);
            else if (reader.ValueTextEquals("outputTokens"u8)) output = ReadInt(ref reader);
            else if (reader.ValueTextEquals("cacheReadInputTokens"u8)) cacheRead = ReadInt(ref reader);
            else if (reader.ValueTextEquals("cacheWriteInputTokens"u8)) cacheWrite = ReadInt(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("the usage object did not end");
        return new TokenUsage(input + cacheRead + cacheWrite, output, CachedInput: cacheRead, CacheWrite: cacheWrite);
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : 0;
    }
}
