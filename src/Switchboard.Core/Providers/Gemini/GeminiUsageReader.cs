using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.Gemini;

/// <summary>Reads Gemini's <c>usageMetadata</c> into canonical token counts.</summary>
internal static class GeminiUsageReader
{
    /// <summary>
    /// Reads a <c>usageMetadata</c> object; the reader stands on its start and is left on its end.
    /// <c>promptTokenCount</c> already includes the cached content, and tool-use prompt tokens are prompt too;
    /// thoughts are billed as output, so they are added to <c>candidatesTokenCount</c>.
    /// </summary>
    public static TokenUsage Read(ref Utf8JsonReader reader)
    {
        int prompt = 0, candidates = 0, cached = 0, thoughts = 0, toolUse = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("promptTokenCount"u8)) prompt = ReadInt(ref reader);
            else if (reader.ValueTextEquals("candidatesTokenCount"u8)) candidates = ReadInt(ref reader);
            else if (reader.ValueTextEquals("cachedContentTokenCount"u8)) cached = ReadInt(ref reader);
            else if (reader.ValueTextEquals("thoughtsTokenCount"u8)) thoughts = ReadInt(ref reader);
            else if (reader.ValueTextEquals("toolUsePromptTokenCount"u8)) toolUse = ReadInt(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("usageMetadata did not end");
        return new TokenUsage(prompt + toolUse, candidates + thoughts, CachedInput: cached, Reasoning: thoughts);
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : 0;
    }
}
