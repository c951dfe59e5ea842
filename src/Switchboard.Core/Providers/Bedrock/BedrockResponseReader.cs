using System.Text;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Reads a whole Converse answer (<c>output.message.content</c>, <c>stopReason</c>, <c>usage</c>) as a canonical response.
/// Converse names neither a response id nor the model, so the id is made here and the model is left empty for the
/// caller, who knows which model it asked for.
/// </summary>
internal static class BedrockResponseReader
{
    /// <summary>Where the thinking of a reasoning model goes on the canonical message, as DeepSeek and OpenRouter write it.</summary>
    public const string ReasoningProperty = "reasoning_content";

    public static ChatResponse Read(ReadOnlySpan<byte> body, long created)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the answer is not a JSON object");
        Message? message = null;
        string? finish = null;
        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("output"u8))
            {
                reader.Read();
                message = ReadOutput(ref reader, body);
            }
            else if (reader.ValueTextEquals("stopReason"u8))
            {
                reader.Read();
                finish = reader.TokenType == JsonTokenType.String ? BedrockStopReasons.Canonical(reader.ValueSpan) : null;
            }
            else if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) usage = BedrockUsageReader.Read(ref reader);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) throw new JsonException("the answer did not end");
        if (message is null) throw new JsonException("the answer has no output.message");

        var additional = message.Reasoning is { } reasoning
            ? new Dictionary<string, JsonElement> { [ReasoningProperty] = JsonSerializer.SerializeToElement(reasoning, ChatJsonContext.Default.String) }
            : null;
        return new ChatResponse
        {
            Id = NewId(),
            Created = created,
            Model = "",
            Choices =
            [
                new ChatChoice
                {
                    Index = 0,
                    Message = new ChatMessage
                    {
                        Role = ChatRoles.Assistant,
                        Content = message.Text is { } text ? ChatContent.FromText(text) : null,
                        ToolCalls = message.ToolCalls,
                        AdditionalProperties = additional,
                    },
                    FinishReason = finish ?? (message.ToolCalls is not null ? FinishReasons.ToolCalls : FinishReasons.Stop),
                },
            ],
            Usage = usage is { } counted ? ChatUsageMapping.FromTokenUsage(counted) : null,
        };
    }

    /// <summary>An id for an answer, since Converse gives none.</summary>
    public static string NewId() => "chatcmpl-bedrock-" + Guid.NewGuid().ToString("N");

    /// <summary>Reads <c>output</c>, standing on its start; only its <c>message</c> matters.</summary>
    private static Message? ReadOutput(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        Message? message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            reader.Read();
            if (isMessage && reader.TokenType == JsonTokenType.StartObject) message = ReadMessage(ref reader, body);
            else reader.Skip();
        }
        return message;
    }

    private static Message ReadMessage(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        var message = new Message();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isContent = reader.ValueTextEquals("content"u8);
            reader.Read();
            if (!isContent || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) ReadBlock(ref reader, body, message);
        }
        return message;
    }

    /// <summary>One content block: text, a tool use or reasoning; the kinds a chat completion cannot show (citations, images, guard content) are passed over.</summary>
    private static void ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, Message message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String) (message.TextBuilder ??= new StringBuilder()).Append(reader.GetString());
            }
            else if (reader.ValueTextEquals("toolUse"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) (message.ToolCalls ??= []).Add(ReadToolUse(ref reader, body));
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("reasoningContent"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) ReadReasoning(ref reader, message);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static ToolCall ReadToolUse(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        string id = "", name = "", arguments = "{}";
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("toolUseId"u8))
            {
                reader.Read();
                id = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.GetString() ?? "";
            }
            else if (reader.ValueTextEquals("input"u8))
            {
                // The input is a JSON document; OpenAI carries it as text, so it goes across as the provider wrote it.
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                arguments = Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new ToolCall { Id = id, Function = new FunctionCall { Name = name, Arguments = arguments } };
    }

    /// <summary>Reads <c>reasoningContent</c>: its <c>reasoningText.text</c> is shown; a signature or redacted content is not text.</summary>
    private static void ReadReasoning(ref Utf8JsonReader reader, Message message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("reasoningText"u8);
            reader.Read();
            if (!isText || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isValue = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isValue && reader.TokenType == JsonTokenType.String) (message.ReasoningBuilder ??= new StringBuilder()).Append(reader.GetString());
                else reader.Skip();
            }
        }
    }

    private sealed class Message
    {
        public StringBuilder? TextBuilder;
        public StringBuilder? ReasoningBuilder;
        public List<ToolCall>? ToolCalls;

        public string? Text => TextBuilder?.ToString();

        public string? Reasoning => ReasoningBuilder?.ToString();
    }
}
