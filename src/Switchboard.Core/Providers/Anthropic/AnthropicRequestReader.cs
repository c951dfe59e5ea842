using System.Text;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic Messages request (already checked by <see cref="AnthropicRequestScanner"/>) as a canonical
/// request for an upstream of another dialect: the reverse of <see cref="AnthropicRequestWriter"/>.
/// </summary>
/// <remarks>
/// <para><c>system</c> becomes one system message (text blocks joined by blank lines), as does a mid-conversation
/// message of role <c>system</c>, in its place; <c>tool_use</c> blocks become
/// the assistant's tool calls with their input as the arguments text; each <c>tool_result</c> block becomes a tool
/// message, and what else the user turn holds (text, images, and images a tool returned, which tool messages
/// cannot carry) follows as a user message. Base64 and URL images become <c>image_url</c> parts (base64 as a
/// <c>data:</c> URL); a base64 PDF document becomes an OpenAI <c>file</c> part.</para>
/// <para>The top-level <c>thinking</c> is kept in <see cref="ChatRequest.AdditionalProperties"/>, as asked of
/// translations. Thinking blocks in the history are left out: their signatures mean something only to Anthropic,
/// and an Anthropic upstream gets the client's bytes untouched, never this translation. <c>top_k</c>,
/// <c>cache_control</c> and <c>is_error</c> have no OpenAI counterpart and are left out too. Anthropic's server
/// tools (web search, bash, ...) cannot run elsewhere and are refused with a message that says so.</para>
/// </remarks>
internal static class AnthropicRequestReader
{
    public static ChatRequest Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;

        var messages = new List<ChatMessage>();
        if (root.TryGetProperty("system", out var system) && SystemText(system) is { Length: > 0 } instructions)
            messages.Add(ChatMessage.System(instructions));
        if (root.TryGetProperty("messages", out var conversation) && conversation.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var message in conversation.EnumerateArray()) ReadMessage(message, index++, messages);
        }

        // Thinking is asked for in the canonical (OpenAI) words, so no provider is sent a field it rejects;
        // the Anthropic adapter turns it back into a thinking budget.
        Dictionary<string, JsonElement>? extra = null;
        if (ReasoningEffort(root) is { } effort)
            extra = new Dictionary<string, JsonElement> { ["reasoning_effort"] = JsonSerializer.SerializeToElement(effort, ChatJsonContext.Default.String) };

        var toolChoice = root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.Object ? choice : (JsonElement?)null;
        return new ChatRequest
        {
            Model = String(root, "model") ?? "",
            Messages = messages,
            Tools = ReadTools(root),
            ToolChoice = toolChoice is { } c ? ReadToolChoice(c) : null,
            ParallelToolCalls = toolChoice is { } d && d.TryGetProperty("disable_parallel_tool_use", out var serial) && serial.ValueKind == JsonValueKind.True ? false : null,
            MaxTokens = root.TryGetProperty("max_tokens", out var maxTokens) && maxTokens.TryGetInt32(out var limit) ? limit : null,
            Temperature = Number(root, "temperature"),
            TopP = Number(root, "top_p"),
            Stop = root.TryGetProperty("stop_sequences", out var stop) && stop.ValueKind == JsonValueKind.Array && stop.GetArrayLength() > 0
                ? new StopSequences([.. stop.EnumerateArray().Select(s => s.GetString() ?? "")])
                : null,
            Stream = root.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True ? true : null,
            User = root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? String(metadata, "user_id") : null,
            AdditionalProperties = extra,
        };
    }

    private static string? SystemText(JsonElement system)
    {
        if (system.ValueKind == JsonValueKind.String) return system.GetString();
        if (system.ValueKind != JsonValueKind.Array) return null;
        var text = new StringBuilder();
        foreach (var block in system.EnumerateArray())
        {
            if (String(block, "text") is not { } part) continue;
            if (text.Length > 0) text.Append("\n\n");
            text.Append(part);
        }
        return text.ToString();
    }

    private static void ReadMessage(JsonElement message, int index, List<ChatMessage> messages)
    {
        var role = String(message, "role");
        if (!message.TryGetProperty("content", out var content)) return;
        if (role == "system")
        {
            // A mid-conversation system message stays where it is: OpenAI-shaped upstreams take system messages anywhere.
            if (SystemText(content) is { Length: > 0 } text) messages.Add(ChatMessage.System(text));
            return;
        }
        var assistant = role == "assistant";
        if (content.ValueKind == JsonValueKind.String)
        {
            var text = content.GetString()!;
            messages.Add(assistant ? ChatMessage.Assistant(text) : ChatMessage.User(text));
            return;
        }
        if (content.ValueKind != JsonValueKind.Array) return;
        if (assistant) ReadAssistant(content, messages);
        else ReadUser(content, index, messages);
    }

    private static void ReadAssistant(JsonElement content, List<ChatMessage> messages)
    {
        StringBuilder? text = null;
        List<ToolCall>? calls = null;
        foreach (var block in content.EnumerateArray())
        {
            switch (String(block, "type"))
            {
                case "text":
                    // Anthropic splits one answer into text blocks around citations: joined as written they are the answer.
                    (text ??= new StringBuilder()).Append(String(block, "text"));
                    break;
                case "tool_use":
                    (calls ??= []).Add(new ToolCall
                    {
                        Id = String(block, "id") ?? "",
                        Function = new FunctionCall
                        {
                            Name = String(block, "name") ?? "",
                            Arguments = block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}",
                        },
                    });
                    break;
            }
        }
        if (text is null && calls is null) return;
        messages.Add(new ChatMessage
        {
            Role = ChatRoles.Assistant,
            Content = text is null ? null : ChatContent.FromText(text.ToString()),
            ToolCalls = calls,
        });
    }

    private static void ReadUser(JsonElement content, int index, List<ChatMessage> messages)
    {
        List<ContentPart>? parts = null;
        var block = 0;
        foreach (var item in content.EnumerateArray())
        {
            var param = $"messages[{index}].content[{block++}]";
            switch (String(item, "type"))
            {
                case "tool_result":
                    messages.Add(ReadToolResult(item, param, ref parts));
                    break;
                case "text":
                    (parts ??= []).Add(ContentPart.FromText(String(item, "text") ?? ""));
                    break;
                case "image":
                    (parts ??= []).Add(ContentPart.FromImage(ImageUrl(item, param)));
                    break;
                case "document":
                    (parts ??= []).Add(Document(item, param));
                    break;
                // Thinking blocks belong to assistant turns; anything else has no counterpart to carry it.
            }
        }
        if (parts is null) return;
        messages.Add(new ChatMessage
        {
            Role = ChatRoles.User,
            // Plain text stays plain: more OpenAI-compatible servers accept a string than parts.
            Content = parts.All(p => p.Type == ContentPartTypes.Text)
                ? ChatContent.FromText(string.Join("\n", parts.Select(p => p.Text)))
                : ChatContent.FromParts(parts),
        });
    }

    /// <summary>A tool result as a tool message; images it returned go to <paramref name="userParts"/>, since tool messages carry text only.</summary>
    private static ChatMessage ReadToolResult(JsonElement block, string param, ref List<ContentPart>? userParts)
    {
        var text = "";
        if (block.TryGetProperty("content", out var content))
        {
            if (content.ValueKind == JsonValueKind.String) text = content.GetString()!;
            else if (content.ValueKind == JsonValueKind.Array)
            {
                var joined = new StringBuilder();
                var nested = 0;
                foreach (var item in content.EnumerateArray())
                {
                    var itemParam = $"{param}.content[{nested++}]";
                    switch (String(item, "type"))
                    {
                        case "text":
                            if (joined.Length > 0) joined.Append('\n');
                            joined.Append(String(item, "text"));
                            break;
                        case "image":
                            (userParts ??= []).Add(ContentPart.FromImage(ImageUrl(item, itemParam)));
                            break;
                        case "document":
                            (userParts ??= []).Add(Document(item, itemParam));
                            break;
                    }
                }
                text = joined.ToString();
            }
        }
        return new ChatMessage
        {
            Role = ChatRoles.Tool,
            ToolCallId = String(block, "tool_use_id") ?? "",
            Content = ChatContent.FromText(text),
        };
    }

    /// <summary>An image block's source as a URL: base64 data becomes a <c>data:</c> URL.</summary>
    private static string ImageUrl(JsonElement block, string param)
    {
        if (block.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object)
        {
            switch (String(source, "type"))
            {
                case "base64":
                    return $"data:{String(source, "media_type") ?? "image/png"};base64,{String(source, "data")}";
                case "url" when String(source, "url") is { } url:
                    return url;
            }
        }
        throw SwitchboardException.BadRequest(
            $"{param}.source must be a base64 or url image source to send to this model; files uploaded to Anthropic can only be read by Anthropic models.", $"{param}.source");
    }

    /// <summary>A document block as OpenAI's <c>file</c> part (a base64 PDF), or its text when it is plain text.</summary>
    private static ContentPart Document(JsonElement block, string param)
    {
        if (block.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.Object)
        {
            var data = String(source, "data");
            switch (String(source, "type"))
            {
                case "text" when data is not null:
                    return ContentPart.FromText(data);
                case "base64" when data is not null:
                    var file = new Dictionary<string, string>
                    {
                        ["filename"] = String(block, "title") ?? "document.pdf",
                        ["file_data"] = $"data:{String(source, "media_type") ?? "application/pdf"};base64,{data}",
                    };
                    return new ContentPart
                    {
                        Type = "file",
                        AdditionalProperties = new Dictionary<string, JsonElement> { ["file"] = ToElement(file) },
                    };
            }
        }
        throw SwitchboardException.BadRequest(
            $"{param}.source must be a base64 PDF or plain-text document to send to this model; URL and uploaded documents can only be read by Anthropic models.", $"{param}.source");
    }

    private static List<ChatTool>? ReadTools(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0) return null;
        var result = new List<ChatTool>(tools.GetArrayLength());
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var type = String(tool, "type");
            if (type is not (null or "custom") || !tool.TryGetProperty("input_schema", out var schema))
            {
                throw SwitchboardException.BadRequest(
                    $"tools[{index}] ({type ?? String(tool, "name")}) is one of Anthropic's own tools, which only Anthropic models can run; " +
                    "give it as a custom tool with an input_schema, or send the request to an Anthropic model.", $"tools[{index}]");
            }
            result.Add(new ChatTool
            {
                Function = new FunctionDefinition
                {
                    Name = String(tool, "name") ?? "",
                    Description = String(tool, "description"),
                    Parameters = schema.Clone(),
                },
            });
            index++;
        }
        return result;
    }

    private static ToolChoice? ReadToolChoice(JsonElement choice) => String(choice, "type") switch
    {
        "any" => ToolChoice.ForMode(ToolChoice.Required),
        "none" => ToolChoice.ForMode(ToolChoice.None),
        "tool" => ToolChoice.ForFunction(String(choice, "name") ?? ""),
        "auto" => ToolChoice.ForMode(ToolChoice.Auto),
        _ => null,
    };

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static JsonElement ToElement(Dictionary<string, string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>
    /// An enabled <c>thinking</c> budget as a reasoning effort: under 2,048 tokens <c>low</c>, under 8,192
    /// <c>medium</c>, more <c>high</c>. Null when thinking is off or not asked for.
    /// </summary>
    private static string? ReasoningEffort(JsonElement root)
    {
        if (!root.TryGetProperty("thinking", out var thinking) || thinking.ValueKind != JsonValueKind.Object) return null;
        if (!thinking.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "enabled") return null;
        var budget = thinking.TryGetProperty("budget_tokens", out var tokens) && tokens.TryGetInt32(out var value) ? value : 0;
        return budget < 2048 ? "low" : budget < 8192 ? "medium" : "high";
    }
}
