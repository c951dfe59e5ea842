using System.Text.Json;
using Switchboard.Usage;

namespace Switchboard.Providers.OpenAI;

/// <summary>Writes token counts as OpenAI's usage object.</summary>
internal static class OpenAIUsageWriter
{
    public static void Write(Utf8JsonWriter json, TokenUsage usage)
    {
        json.WriteStartObject();
        json.WriteNumber("prompt_tokens"u8, usage.Input);
        json.WriteNumber("completion_tokens"u8, usage.Output);
        json.WriteNumber("total_tokens"u8, usage.Total);
        json.WriteStartObject("prompt_tokens_details"u8);
        json.WriteNumber("cached_tokens"u8, usage.CachedInput);
        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details"u8);
        json.WriteNumber("reasoning_tokens"u8, usage.Reasoning);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
