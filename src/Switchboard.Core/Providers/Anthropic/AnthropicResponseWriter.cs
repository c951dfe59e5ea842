using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Writes a canonical completion as an Anthropic message: <c>reasoning_content</c> as a thinking block, the text as a
/// text block, tool calls as <c>tool_use</c> blocks with their arguments as the input object, the finish reason as
/// the stop reason, and the usage split into uncached input, cache reads and cache writes.
/// </summary>
internal static class AnthropicResponseWriter
{
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(ChatResponse response, IBufferWriter<byte> output)
    {
        var choice = response.Choices.Count > 0 ? response.Choices[0] : null;
        var message = choice?.Message;
        var calls = message?.ToolCalls;

        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteString("id"u8, MessageId(response.Id));
        json.WriteString("type"u8, "message"u8);
        json.WriteString("role"u8, "assistant"u8);
        json.WriteString("model"u8, response.Model);
        json.WriteStartArray("content"u8);
        if (message is not null)
        {
            if (message.AdditionalProperties is { } extra && extra.TryGetValue("reasoning_content", out var reasoning)
                && reasoning.ValueKind == JsonValueKind.String && reasoning.GetString() is { Length: > 0 } thinking)
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "thinking"u8);
                json.WriteString("thinking"u8, thinking);
                // The upstream signed nothing; an Anthropic SDK still expects the field.
                json.WriteString("signature"u8, ""u8);
                json.WriteEndObject();
            }
            var text = message.Content?.AllText();
            if (string.IsNullOrEmpty(text)) text = message.Refusal;
            if (!string.IsNullOrEmpty(text))
            {
                json.WriteStartObject();
                json.WriteString("type"u8, "text"u8);
                json.WriteString("text"u8, text);
                json.WriteEndObject();
            }
            if (calls is not null)
            {
                for (var i = 0; i < calls.Count; i++)
                {
                    var call = calls[i];
                    json.WriteStartObject();
                    json.WriteString("type"u8, "tool_use"u8);
                    json.WriteString("id"u8, ToolUseId(call.Id, i));
                    json.WriteString("name"u8, call.Function.Name ?? "");
                    WriteDirectCaller(json);
                    json.WritePropertyName("input"u8);
                    WriteInput(json, call.Function.Arguments);
                    json.WriteEndObject();
                }
            }
        }
        json.WriteEndArray();
        var stopReason = message?.Refusal is { Length: > 0 } && string.IsNullOrEmpty(message.Content?.AllText())
            ? AnthropicStopReasons.Refusal
            : AnthropicStopReasons.FromCanonical(choice?.FinishReason, calls is { Count: > 0 });
        json.WriteString("stop_reason"u8, stopReason);
        json.WriteNull("stop_sequence"u8);
        json.WritePropertyName("usage"u8);
        WriteUsage(json, response.Usage is { } usage ? ChatUsageMapping.ToTokenUsage(usage) : default);
        json.WriteEndObject();
    }

    /// <summary>
    /// Anthropic's usage object: <c>input_tokens</c> counts only the prompt tokens neither read from nor written to the
    /// cache, so the canonical whole prompt is split back into its three parts; reasoning goes in
    /// <c>output_tokens_details.thinking_tokens</c>.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter json, TokenUsage usage)
    {
        json.WriteStartObject();
        json.WriteNumber("input_tokens"u8, Math.Max(0, usage.Input - usage.CachedInput - usage.CacheWrite));
        json.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWrite);
        json.WriteNumber("cache_read_input_tokens"u8, usage.CachedInput);
        json.WriteNumber("output_tokens"u8, usage.Output);
        if (usage.Reasoning > 0)
        {
            json.WriteStartObject("output_tokens_details"u8);
            json.WriteNumber("thinking_tokens"u8, usage.Reasoning);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// <c>"caller": {"type": "direct"}</c>: the model called the tool itself, not from code it ran. Anthropic writes it
    /// on every <c>tool_use</c> block and its SDKs treat it as required.
    /// </summary>
    public static void WriteDirectCaller(Utf8JsonWriter json)
    {
        json.WriteStartObject("caller"u8);
        json.WriteString("type"u8, "direct"u8);
        json.WriteEndObject();
    }

    /// <summary>
    /// An Anthropic message id (<c>msg_...</c>) from the upstream's: kept when it already is one, otherwise its
    /// distinctive part behind <c>msg_</c> (<c>chatcmpl-B9MB</c> → <c>msg_B9MB</c>), so the client's id still
    /// leads to the upstream's logs.
    /// </summary>
    public static string MessageId(string? upstream)
    {
        if (string.IsNullOrEmpty(upstream)) return "msg_switchboard";
        if (upstream.StartsWith("msg_", StringComparison.Ordinal)) return upstream;
        return "msg_" + (upstream.StartsWith("chatcmpl-", StringComparison.Ordinal) ? upstream["chatcmpl-".Length..] : upstream);
    }

    /// <summary>The call's id, or one made up for upstreams that give none (Gemini): Anthropic clients need an id to answer.</summary>
    public static string ToolUseId(string? id, int index) => string.IsNullOrEmpty(id) ? $"toolu_switchboard_{index}" : id;

    /// <summary>
    /// The arguments as the input object. Arguments that are not a JSON object (a model's broken output) cannot be
    /// an input; they go as <c>{}</c> rather than as a body the client cannot parse.
    /// </summary>
    private static void WriteInput(Utf8JsonWriter json, string? arguments)
    {
        if (!string.IsNullOrWhiteSpace(arguments))
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments);
                if (parsed.RootElement.ValueKind == JsonValueKind.Object)
                {
                    parsed.RootElement.WriteTo(json);
                    return;
                }
            }
            catch (JsonException)
            {
                // Falls through to the empty input.
            }
        }
        json.WriteStartObject();
        json.WriteEndObject();
    }
}
