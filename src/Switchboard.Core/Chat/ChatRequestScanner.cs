using System.Text.Json;

namespace Switchboard.Chat;

/// <summary>
/// Reads an OpenAI chat completions request in one forward pass: checks it is well-formed JSON, that the
/// fields Switchboard relies on have the right types, and records where each top-level property is.
/// Errors come back as a <see cref="SwitchboardException"/> whose message says what to fix.
/// </summary>
internal static class ChatRequestScanner
{
    private const string Example = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello\"}]}";

    public static ChatRequestEnvelope Scan(ReadOnlySpan<byte> body) => Guard(body, Example, ScanObject);

    /// <summary>How a dialect's scanner reads a body it has been given.</summary>
    internal delegate ChatRequestEnvelope ObjectScanner(ReadOnlySpan<byte> body);

    /// <summary>
    /// What every dialect's scanner does first: refuse an empty body with an example of a good one, and turn a
    /// JSON syntax error into a 400 that says where it is.
    /// </summary>
    internal static ChatRequestEnvelope Guard(ReadOnlySpan<byte> body, string example, ObjectScanner scan)
    {
        if (body.IsEmpty || body.Trim(" \t\r\n"u8).IsEmpty)
            throw SwitchboardException.BadRequest($"The request body is empty. Send a JSON object such as {example}.");
        try
        {
            return scan(body);
        }
        catch (JsonException e)
        {
            throw SwitchboardException.BadRequest($"The request body is not valid JSON: {Describe(e)}");
        }
    }

    private static ChatRequestEnvelope ScanObject(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
            throw SwitchboardException.BadRequest($"The request body must be a JSON object, not {Kind(reader.TokenType)}. Send {Example}.");

        string? model = null;
        bool stream = false, hasTools = false, hasImages = false, sawMessages = false;
        bool? includeUsage = null;
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
                    throw WrongType("model", "a non-empty string naming a model, such as \"gpt-4o-mini\" or \"openrouter/anthropic/claude-sonnet-4\"", token);
                model = reader.GetString();
            }
            else if (name.SequenceEqual("messages"u8))
            {
                if (token != JsonTokenType.StartArray) throw WrongType("messages", "an array of messages", token);
                messageCount = ScanMessages(ref reader, ref hasImages);
                sawMessages = true;
            }
            else if (name.SequenceEqual("stream"u8))
            {
                if (token is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)) throw WrongType("stream", "true or false", token);
                stream = token == JsonTokenType.True;
            }
            else if (name.SequenceEqual("stream_options"u8))
            {
                includeUsage = ScanStreamOptions(ref reader, token);
            }
            else if (name.SequenceEqual("tools"u8))
            {
                if (token is not (JsonTokenType.StartArray or JsonTokenType.Null)) throw WrongType("tools", "an array of tools", token);
                var lookahead = reader;
                hasTools = token == JsonTokenType.StartArray && lookahead.Read() && lookahead.TokenType != JsonTokenType.EndArray;
            }
            else if (IsNumber(name))
            {
                if (token is not (JsonTokenType.Number or JsonTokenType.Null)) throw WrongType(Utf8(name), "a number", token);
            }
            else if (IsInteger(name))
            {
                if (token == JsonTokenType.Number ? !reader.TryGetInt64(out _) : token != JsonTokenType.Null)
                    throw WrongType(Utf8(name), "a whole number", token);
            }
            else if (name.SequenceEqual("stop"u8))
            {
                if (token is not (JsonTokenType.String or JsonTokenType.StartArray or JsonTokenType.Null))
                    throw WrongType("stop", "a string or an array of strings", token);
            }
            else if (name.SequenceEqual("tool_choice"u8))
            {
                if (token is not (JsonTokenType.String or JsonTokenType.StartObject or JsonTokenType.Null))
                    throw WrongType("tool_choice", "\"auto\", \"none\", \"required\" or an object naming a function", token);
            }
            else if (name.SequenceEqual("response_format"u8) || name.SequenceEqual("metadata"u8))
            {
                if (token is not (JsonTokenType.StartObject or JsonTokenType.Null)) throw WrongType(Utf8(name), "an object", token);
            }
            else if (name.SequenceEqual("user"u8))
            {
                if (token is not (JsonTokenType.String or JsonTokenType.Null)) throw WrongType("user", "a string", token);
            }

            reader.Skip();
            properties.Add(new JsonPropertySpan(start, start + 1, name.Length, valueStart, (int)reader.BytesConsumed));
        }

        // One more read proves nothing but whitespace follows the object.
        reader.Read();

        if (model is null)
            throw SwitchboardException.BadRequest("'model' is required: name a model such as \"gpt-4o-mini\", \"claude-sonnet-4-5\" or \"openrouter/anthropic/claude-sonnet-4\".", "model");
        if (!sawMessages || messageCount == 0)
            throw SwitchboardException.BadRequest($"'messages' is required and must hold at least one message, for example {Example}.", "messages");

        return new ChatRequestEnvelope
        {
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
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
            var sawRole = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("role"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !ChatRoles.IsKnown(reader.ValueSpan))
                        throw SwitchboardException.BadRequest(
                            $"messages[{count}].role must be one of \"system\", \"developer\", \"user\", \"assistant\", \"tool\".", $"messages[{count}].role");
                    sawRole = true;
                }
                else if (reader.ValueTextEquals("content"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray) hasImages |= ScanParts(ref reader, count);
                    else if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                        throw WrongType($"messages[{count}].content", "a string or an array of content parts", reader.TokenType);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (!sawRole)
                throw SwitchboardException.BadRequest($"messages[{count}] has no \"role\": give each message a role such as \"user\".", $"messages[{count}].role");
            count++;
        }
        return count;
    }

    /// <summary>Checks content parts and says whether any is an image.</summary>
    private static bool ScanParts(ref Utf8JsonReader reader, int message)
    {
        var hasImage = false;
        var part = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
                throw WrongType($"messages[{message}].content[{part}]", "an object such as {\"type\": \"text\", \"text\": \"...\"}", reader.TokenType);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (isType && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("image_url"u8)) hasImage = true;
                reader.Skip();
            }
            part++;
        }
        return hasImage;
    }

    private static bool? ScanStreamOptions(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (token == JsonTokenType.Null) return null;
        if (token != JsonTokenType.StartObject) throw WrongType("stream_options", "an object such as {\"include_usage\": true}", token);
        bool? includeUsage = null;
        var copy = reader;
        while (copy.Read() && copy.TokenType == JsonTokenType.PropertyName)
        {
            var isIncludeUsage = copy.ValueTextEquals("include_usage"u8);
            copy.Read();
            if (isIncludeUsage)
            {
                if (copy.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                    throw WrongType("stream_options.include_usage", "true or false", copy.TokenType);
                includeUsage = copy.TokenType == JsonTokenType.True;
            }
            copy.Skip();
        }
        return includeUsage;
    }

    private static bool IsNumber(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("temperature"u8) || name.SequenceEqual("top_p"u8)
        || name.SequenceEqual("presence_penalty"u8) || name.SequenceEqual("frequency_penalty"u8);

    private static bool IsInteger(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("max_tokens"u8) || name.SequenceEqual("max_completion_tokens"u8)
        || name.SequenceEqual("n"u8) || name.SequenceEqual("seed"u8) || name.SequenceEqual("top_logprobs"u8);

    internal static SwitchboardException WrongType(string field, string expected, JsonTokenType actual) =>
        SwitchboardException.BadRequest($"'{field}' must be {expected}, not {Kind(actual)}.", field);

    internal static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "that value",
    };

    private static string Utf8(ReadOnlySpan<byte> name) => System.Text.Encoding.UTF8.GetString(name);

    internal static string Describe(JsonException e)
    {
        // Utf8JsonReader's messages name the line and byte, which is what a client needs to find the mistake.
        var message = e.Message;
        return message.EndsWith('.') ? message : message + ".";
    }
}
