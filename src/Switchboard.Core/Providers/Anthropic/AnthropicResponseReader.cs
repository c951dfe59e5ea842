using Switchboard.Usage;
using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads a whole Anthropic message as a canonical completion in one forward pass: text blocks joined, <c>tool_use</c>
/// blocks as tool calls with their input as the arguments text, thinking as <c>reasoning_content</c>, the stop reason
/// as a finish reason and the usage with the cache counted into the prompt.
/// </summary>
/// <remarks>
/// Cache writes have no field in OpenAI's usage, so they go in <c>prompt_tokens_details.cache_creation_tokens</c>
/// (LiteLLM's name for it), and <c>prompt_tokens</c> counts them along with cache reads: the whole prompt.
/// Thinking blocks also go, whole and signed, in the message's <c>thinking_blocks</c>, so a client that sends the
/// message back in a tool loop gives Anthropic the signed blocks it requires there.
/// </remarks>
internal static class AnthropicResponseReader
{
    public static ChatResponse Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected a JSON object");

        string id = "", model = "";
        string? finish = null;
        var sawContent = false;
        StringBuilder? text = null, reasoning = null;
        List<ToolCall>? calls = null;
        ArrayBufferWriter<byte>? thinkingBlocks = null;
        var usage = default(AnthropicUsageCounts);

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8)) id = ReadString(ref reader) ?? "";
            else if (reader.ValueTextEquals("model"u8)) model = ReadString(ref reader) ?? "";
            else if (reader.ValueTextEquals("stop_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) finish = AnthropicStopReasons.ToCanonical(reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) usage.Read(ref reader);
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("content is not an array");
                sawContent = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadBlock(ref reader, body, ref text, ref reasoning, ref calls, ref thinkingBlocks);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // One more read proves nothing but whitespace follows the object.
        reader.Read();
        // An error body or any other object that answered 200 is not a message.
        if (!sawContent) throw new JsonException("the body is not a message: it has no content");

        Dictionary<string, JsonElement>? extra = null;
        if (reasoning is not null)
        {
            extra = new Dictionary<string, JsonElement>
            {
                ["reasoning_content"] = StringElement(reasoning.ToString()),
            };
            if (thinkingBlocks is not null)
            {
                thinkingBlocks.Write("]"u8);
                extra["thinking_blocks"] = JsonElement.Parse(thinkingBlocks.WrittenSpan);
            }
        }
        var message = new ChatMessage
        {
            Role = ChatRoles.Assistant,
            // A turn that only calls tools has no content, which OpenAI writes as null.
            Content = text is not null || calls is null ? ChatContent.FromText(text?.ToString() ?? "") : null,
            ToolCalls = calls,
            AdditionalProperties = extra,
        };
        return new ChatResponse
        {
            Id = id,
            Model = model,
            Choices = [new ChatChoice { Index = 0, Message = message, FinishReason = finish }],
            Usage = usage.Seen ? ToChatUsage(usage) : null,
        };
    }

    /// <summary>Anthropic's counts in OpenAI's usage object (see the remarks on the class).</summary>
    public static ChatUsage ToChatUsage(AnthropicUsageCounts counts) => ChatUsageMapping.FromTokenUsage(counts.ToTokenUsage());

    /// <summary>Reads one content block; its fields may come in any order, so it is acted on at its end.</summary>
    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref StringBuilder? text, ref StringBuilder? reasoning,
        ref List<ToolCall>? calls, ref ArrayBufferWriter<byte>? thinkingBlocks)
    {
        var start = (int)reader.TokenStartIndex;
        string? type = null, blockText = null, thinking = null, id = null, name = null, input = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8)) type = ReadString(ref reader);
            else if (reader.ValueTextEquals("text"u8)) blockText = ReadString(ref reader);
            else if (reader.ValueTextEquals("thinking"u8)) thinking = ReadString(ref reader);
            else if (reader.ValueTextEquals("id"u8)) id = ReadString(ref reader);
            else if (reader.ValueTextEquals("name"u8)) name = ReadString(ref reader);
            else if (reader.ValueTextEquals("input"u8))
            {
                reader.Read();
                var valueStart = (int)reader.TokenStartIndex;
                reader.Skip();
                // The input exactly as the model wrote it is the arguments text: no re-serializing.
                input = Encoding.UTF8.GetString(body[valueStart..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        switch (type)
        {
            case "text":
                (text ??= new StringBuilder()).Append(blockText);
                break;
            case "tool_use":
                (calls ??= []).Add(new ToolCall
                {
                    Id = id ?? "",
                    Function = new FunctionCall { Name = name ?? "", Arguments = input ?? "{}" },
                });
                break;
            case "thinking" or "redacted_thinking":
                if (thinking is not null) (reasoning ??= new StringBuilder()).Append(thinking);
                else reasoning ??= new StringBuilder();
                // Kept as raw JSON: the signature must go back to Anthropic byte for byte.
                if (thinkingBlocks is null)
                {
                    thinkingBlocks = new ArrayBufferWriter<byte>();
                    thinkingBlocks.Write("["u8);
                }
                else thinkingBlocks.Write(","u8);
                thinkingBlocks.Write(body[start..(int)reader.BytesConsumed]);
                break;
        }
    }

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.Skip();
        return null;
    }

    private static JsonElement StringElement(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) writer.WriteStringValue(value);
        return JsonElement.Parse(buffer.WrittenSpan);
    }

}
