using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic Messages request in one forward pass, as <see cref="ChatRequestScanner"/> reads an OpenAI one:
/// checks it is well-formed JSON, that the fields Switchboard and Anthropic rely on have the right types, and
/// records where each top-level property is, so that a pass-through can rewrite <c>model</c> and copy the rest,
/// <c>cache_control</c> and thinking blocks included, byte for byte. Errors say what to fix.
/// </summary>
internal static class AnthropicRequestScanner
{
    private const string Example = "{\"model\": \"claude-sonnet-4-5\", \"max_tokens\": 1024, \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

    public static ChatRequestEnvelope Scan(ReadOnlySpan<byte> body) => ChatRequestScanner.Guard(body, Example, ScanObject);

    private static ChatRequestEnvelope ScanObject(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw SwitchboardException.BadRequest($"The request body must be a JSON object, not {ChatRequestScanner.Kind(reader.TokenType)}. Send {Example}.");

        string? model = null;
        bool stream = false, hasTools = false, hasImages = false, sawMessages = false, sawMaxTokens = false;
        var messageCount = 0;
        var properties = new List<JsonPropertySpan>(12);

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var start = (int)reader.TokenStartIndex;
            var name = reader.ValueSpan;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            var token = reader.TokenType;

            if (name.SequenceEqual("model"u8))
            {
                if (token != JsonTokenType.String || reader.ValueSpan.IsEmpty)
                    throw WrongType("model", "a non-empty string naming a model, such as \"claude-sonnet-4-5\" or \"openai/gpt-4.1\"", token);
                model = reader.GetString();
            }
            else if (name.SequenceEqual("messages"u8))
            {
                if (token != JsonTokenType.StartArray) throw WrongType("messages", "an array of messages", token);
                messageCount = ScanMessages(ref reader, ref hasImages);
                sawMessages = true;
            }
            else if (name.SequenceEqual("max_tokens"u8))
            {
                if (token != JsonTokenType.Number || !reader.TryGetInt64(out var maxTokens))
                    throw WrongType("max_tokens", "a whole number, such as 1024", token);
                if (maxTokens < 1) throw SwitchboardException.BadRequest("'max_tokens' must be at least 1.", "max_tokens");
                sawMaxTokens = true;
            }
            else if (name.SequenceEqual("system"u8)) ScanSystem(ref reader, token);
            else if (name.SequenceEqual("stream"u8))
            {
                if (token is not (JsonTokenType.True or JsonTokenType.False)) throw WrongType("stream", "true or false", token);
                stream = token == JsonTokenType.True;
            }
            else if (name.SequenceEqual("tools"u8)) hasTools = ScanTools(ref reader, token);
            else if (name.SequenceEqual("tool_choice"u8)) ScanToolChoice(ref reader, token);
            else if (name.SequenceEqual("temperature"u8) || name.SequenceEqual("top_p"u8))
            {
                if (token != JsonTokenType.Number) throw WrongType(Utf8(name), "a number", token);
            }
            else if (name.SequenceEqual("top_k"u8))
            {
                if (token != JsonTokenType.Number || !reader.TryGetInt64(out _)) throw WrongType("top_k", "a whole number", token);
            }
            else if (name.SequenceEqual("stop_sequences"u8)) ScanStrings(ref reader, token, "stop_sequences");
            else if (name.SequenceEqual("metadata"u8) || name.SequenceEqual("thinking"u8))
            {
                if (token != JsonTokenType.StartObject) throw WrongType(Utf8(name), "an object", token);
            }

            reader.Skip();
            properties.Add(new JsonPropertySpan(start, start + 1, name.Length, valueStart, (int)reader.BytesConsumed));
        }

        // One more read proves nothing but whitespace follows the object.
        reader.Read();

        if (model is null)
            throw SwitchboardException.BadRequest("'model' is required: name a model such as \"claude-sonnet-4-5\", \"gpt-4.1\" or \"openrouter/anthropic/claude-sonnet-4\".", "model");
        if (!sawMaxTokens)
            throw SwitchboardException.BadRequest($"'max_tokens' is required: the most tokens the model may write, for example {Example}.", "max_tokens");
        if (!sawMessages || messageCount == 0)
            throw SwitchboardException.BadRequest($"'messages' is required and must hold at least one message, for example {Example}.", "messages");

        return new ChatRequestEnvelope
        {
            Model = model,
            Stream = stream,
            HasTools = hasTools,
            HasImages = hasImages,
            MessageCount = messageCount,
            Properties = properties,
        };
    }

    private static int ScanMessages(ref Utf8JsonReader reader, ref bool hasImages)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw WrongType($"messages[{count}]", "an object with \"role\" and \"content\"", reader.TokenType);
            bool sawRole = false, sawContent = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    // "system" is Anthropic's mid-conversation system message (newer models); the usual place is the top-level field.
                    if (reader.TokenType != JsonTokenType.String
                        || !(reader.ValueTextEquals("user"u8) || reader.ValueTextEquals("assistant"u8) || reader.ValueTextEquals("system"u8)))
                    {
                        throw SwitchboardException.BadRequest(
                            $"messages[{count}].role must be \"user\" or \"assistant\" (or \"system\" for instructions mid-conversation; the usual place for them is the top-level \"system\" field).",
                            $"messages[{count}].role");
                    }
                    sawRole = true;
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray) hasImages |= ScanBlocks(ref reader, count, -1);
                    else if (reader.TokenType != JsonTokenType.String)
                        throw WrongType($"messages[{count}].content", "a string or an array of content blocks", reader.TokenType);
                    sawContent = true;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (!sawRole)
                throw SwitchboardException.BadRequest($"messages[{count}] has no \"role\": give each message the role \"user\" or \"assistant\".", $"messages[{count}].role");
            if (!sawContent)
                throw SwitchboardException.BadRequest($"messages[{count}] has no \"content\": give it text, or an array of content blocks.", $"messages[{count}].content");
            count++;
        }
        return count;
    }

    /// <summary>
    /// Checks content blocks (each an object with a <c>type</c>) and says whether any, or any inside a tool result,
    /// is an image. Field names for messages are only built for an error: a long conversation scans without allocating.
    /// </summary>
    private static bool ScanBlocks(ref Utf8JsonReader reader, int message, int parent)
    {
        var hasImage = false;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw WrongType(Block(message, parent, index), "an object such as {\"type\": \"text\", \"text\": \"...\"}", reader.TokenType);
            var sawType = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String)
                        throw WrongType(Block(message, parent, index) + ".type", "a string such as \"text\", \"image\", \"tool_use\" or \"tool_result\"", reader.TokenType);
                    hasImage |= reader.ValueTextEquals("image"u8);
                    sawType = true;
                }
                else if (parent < 0 && reader.ValueTextEquals("content"u8))
                {
                    // A tool result's content: text, or blocks that may hold images.
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray) hasImage |= ScanBlocks(ref reader, message, index);
                    else reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (!sawType)
            {
                var block = Block(message, parent, index);
                throw SwitchboardException.BadRequest($"{block} has no \"type\": say what the block is, such as {{\"type\": \"text\", \"text\": \"...\"}}.", $"{block}.type");
            }
            index++;
        }
        return hasImage;
    }

    private static string Block(int message, int parent, int index) =>
        parent < 0 ? $"messages[{message}].content[{index}]" : $"messages[{message}].content[{parent}].content[{index}]";

    /// <summary><c>system</c> is a string or an array of text blocks.</summary>
    private static void ScanSystem(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (token == JsonTokenType.String) return;
        if (token != JsonTokenType.StartArray) throw WrongType("system", "a string or an array of text blocks", token);
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw WrongType($"system[{index}]", "a text block such as {\"type\": \"text\", \"text\": \"...\"}", reader.TokenType);
            bool isText = false, hasText = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                var isTextField = reader.ValueTextEquals("text"u8);
                reader.Read();
                if (isType) isText = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("text"u8);
                else if (isTextField) hasText = reader.TokenType == JsonTokenType.String;
                reader.Skip();
            }
            if (!isText || !hasText)
                throw SwitchboardException.BadRequest($"'system[{index}]' must be a text block such as {{\"type\": \"text\", \"text\": \"...\"}}.", $"system[{index}]");
            index++;
        }
    }

    /// <summary><c>tools</c> is an array of objects with a <c>name</c>; says whether it holds any.</summary>
    private static bool ScanTools(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (token != JsonTokenType.StartArray) throw WrongType("tools", "an array of tools", token);
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw WrongType($"tools[{index}]", "a tool such as {\"name\": \"get_weather\", \"input_schema\": {\"type\": \"object\"}}", reader.TokenType);
            var hasName = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isName = reader.ValueTextEquals("name"u8);
                var isSchema = reader.ValueTextEquals("input_schema"u8);
                reader.Read();
                if (isName) hasName = reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty;
                else if (isSchema && reader.TokenType != JsonTokenType.StartObject) throw WrongType($"tools[{index}].input_schema", "a JSON Schema object", reader.TokenType);
                reader.Skip();
            }
            if (!hasName) throw SwitchboardException.BadRequest($"tools[{index}] has no \"name\": give each tool a name.", $"tools[{index}].name");
            index++;
        }
        return index > 0;
    }

    /// <summary><c>tool_choice</c> is <c>{"type": "auto" | "any" | "none"}</c> or <c>{"type": "tool", "name": ...}</c>.</summary>
    private static void ScanToolChoice(ref Utf8JsonReader reader, JsonTokenType token)
    {
        const string Expected = "an object such as {\"type\": \"auto\"}, {\"type\": \"any\"}, {\"type\": \"none\"} or {\"type\": \"tool\", \"name\": \"get_weather\"}";
        if (token != JsonTokenType.StartObject) throw WrongType("tool_choice", Expected, token);
        string? type = null;
        var hasName = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isType = reader.ValueTextEquals("type"u8);
            var isName = reader.ValueTextEquals("name"u8);
            var isSerial = reader.ValueTextEquals("disable_parallel_tool_use"u8);
            reader.Read();
            if (isType && reader.TokenType == JsonTokenType.String) type = reader.GetString();
            else if (isName) hasName = reader.TokenType == JsonTokenType.String;
            else if (isSerial && reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                throw WrongType("tool_choice.disable_parallel_tool_use", "true or false", reader.TokenType);
            reader.Skip();
        }
        if (type is not ("auto" or "any" or "none" or "tool"))
            throw SwitchboardException.BadRequest($"'tool_choice' must be {Expected}.", "tool_choice.type");
        if (type == "tool" && !hasName)
            throw SwitchboardException.BadRequest("'tool_choice' of type \"tool\" must name the tool: {\"type\": \"tool\", \"name\": \"get_weather\"}.", "tool_choice.name");
    }

    private static void ScanStrings(ref Utf8JsonReader reader, JsonTokenType token, string field)
    {
        if (token != JsonTokenType.StartArray) throw WrongType(field, "an array of strings", token);
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) throw WrongType($"{field}[{index}]", "a string", reader.TokenType);
            index++;
        }
    }

    private static SwitchboardException WrongType(string field, string expected, JsonTokenType actual) =>
        ChatRequestScanner.WrongType(field, expected, actual);

    private static string Utf8(ReadOnlySpan<byte> name) => System.Text.Encoding.UTF8.GetString(name);
}
