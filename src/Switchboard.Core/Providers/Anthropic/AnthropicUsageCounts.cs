using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Anthropic's token counts as they arrive. <c>message_start</c> carries the prompt's counts and <c>message_delta</c>
/// the running totals (cumulative, not increments), so a count read later replaces the one read before and a
/// count a later object leaves out keeps its earlier value.
/// </summary>
internal struct AnthropicUsageCounts
{
    /// <summary><c>input_tokens</c>: the prompt tokens that were neither read from nor written to the cache.</summary>
    public int Input;

    public int Output;

    /// <summary><c>cache_read_input_tokens</c>.</summary>
    public int CacheRead;

    /// <summary><c>cache_creation_input_tokens</c>.</summary>
    public int CacheCreation;

    /// <summary><c>output_tokens_details.thinking_tokens</c>, where the API reports it.</summary>
    public int Thinking;

    /// <summary>True once any usage object has been read.</summary>
    public bool Seen;

    /// <summary>Reads a usage object into these counts; the reader stands on its start and is left on its end.</summary>
    public void Read(ref Utf8JsonReader reader)
    {
        Seen = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8)) ReadCount(ref reader, ref Input);
            else if (reader.ValueTextEquals("output_tokens"u8)) ReadCount(ref reader, ref Output);
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8)) ReadCount(ref reader, ref CacheRead);
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8)) ReadCount(ref reader, ref CacheCreation);
            else if (reader.ValueTextEquals("output_tokens_details"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("thinking_tokens"u8)) ReadCount(ref reader, ref Thinking);
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    /// <summary>
    /// The counts in canonical form: Anthropic's <c>input_tokens</c> leaves out cache reads and writes, the canonical
    /// input is the whole prompt.
    /// </summary>
    public readonly TokenUsage ToTokenUsage() =>
        new(Input + CacheRead + CacheCreation, Output, CachedInput: CacheRead, CacheWrite: CacheCreation, Reasoning: Thinking);

    private static void ReadCount(ref Utf8JsonReader reader, ref int value)
    {
        reader.Read();
        // null means "not reported here": the earlier count stands.
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var count)) value = count;
        else if (reader.TokenType != JsonTokenType.Null) reader.Skip();
    }
}
