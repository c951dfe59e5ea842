using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// Writes a canonical (OpenAI-shaped) request as an Anthropic Messages request: system and developer messages
/// become the top-level <c>system</c>, tool calls <c>tool_use</c> blocks, tool messages <c>tool_result</c> blocks in
/// one user turn, images <c>image</c> blocks, and the sampling and tool parameters their Anthropic names.
/// </summary>
/// <remarks>
/// Left out on purpose, because Anthropic rejects or has no equivalent of them: <c>n</c>, <c>seed</c>,
/// penalties, <c>logprobs</c>, <c>response_format</c> and OpenAI's <c>metadata</c> (Anthropic's takes only
/// <c>user_id</c>, which <c>user</c> fills).
/// </remarks>
internal static class AnthropicRequestWriter
{
    /// <summary>
    /// <c>max_tokens</c> when the client sets no limit. Anthropic requires one; the catalog's maximum output for the
    /// model would be the natural default, but only the model id reaches the adapter, and 4096 is an output every
    /// Claude model accepts that is long enough for ordinary answers (OpenAI's own default was similar).
    /// </summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>The smallest thinking budget Anthropic accepts.</summary>
    private const int MinThinkingBudget = 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(ChatRequest request, string model, bool stream, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        var extra = request.AdditionalProperties;
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        var thinking = extra is not null && extra.TryGetValue("thinking", out var given) && given.ValueKind == JsonValueKind.Object ? given : (JsonElement?)null;
        var derivedBudget = thinking is null ? BudgetFor(extra, maxTokens ?? DefaultMaxTokens) : 0;

        json.WriteStartObject();
        json.WriteString("model"u8, model);
        json.WriteNumber("max_tokens"u8, maxTokens ?? DefaultMaxTokensFor(thinking));
        WriteSystem(json, request.Messages);
        WriteMessages(json, request.Messages);
        WriteStop(json, request.Stop);

        // Thinking Switchboard turns on itself (from reasoning_effort) must not fail on sampling parameters Anthropic
        // refuses alongside it; thinking the client asked for explicitly is sent as asked.
        if (derivedBudget == 0)
        {
            // Anthropic's temperature runs from 0 to 1, OpenAI's to 2: the top of one range is the top of the other.
            if (request.Temperature is { } temperature) json.WriteNumber("temperature"u8, Math.Clamp(temperature, 0, 1));
            if (request.TopP is { } topP) json.WriteNumber("top_p"u8, topP);
            if (extra is not null && extra.TryGetValue("top_k", out var topK) && topK.ValueKind == JsonValueKind.Number)
            {
                json.WritePropertyName("top_k"u8);
                topK.WriteTo(json);
            }
        }
        if (stream) json.WriteBoolean("stream"u8, true);
        if (!string.IsNullOrEmpty(request.User))
        {
            json.WriteStartObject("metadata"u8);
            json.WriteString("user_id"u8, request.User);
            json.WriteEndObject();
        }
        if (request.Tools is { Count: > 0 } tools)
        {
            WriteTools(json, tools);
            WriteToolChoice(json, request.ToolChoice, request.ParallelToolCalls);
        }
        if (thinking is { } requested)
        {
            json.WritePropertyName("thinking"u8);
            requested.WriteTo(json);
        }
        else if (derivedBudget > 0)
        {
            json.WriteStartObject("thinking"u8);
            json.WriteString("type"u8, "enabled"u8);
            json.WriteNumber("budget_tokens"u8, derivedBudget);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Without a client limit, a thinking budget larger than the default output would make the request invalid
    /// (max_tokens must exceed budget_tokens), so the default then leaves the usual room on top of the budget.
    /// </summary>
    private static int DefaultMaxTokensFor(JsonElement? thinking)
    {
        if (thinking is { } value && value.TryGetProperty("budget_tokens", out var budget) && budget.TryGetInt32(out var tokens) && tokens >= DefaultMaxTokens)
            return tokens + DefaultMaxTokens;
        return DefaultMaxTokens;
    }

    /// <summary>
    /// A thinking budget for OpenAI's <c>reasoning_effort</c> (low 1024, medium 2048, high 4096 tokens, as LiteLLM maps
    /// them), kept below <paramref name="maxTokens"/> since thinking counts against it; 0 for no thinking.
    /// </summary>
    private static int BudgetFor(Dictionary<string, JsonElement>? extra, int maxTokens)
    {
        if (extra is null || !extra.TryGetValue("reasoning_effort", out var effort) || effort.ValueKind != JsonValueKind.String) return 0;
        var budget = effort.GetString() switch
        {
            "low" => 1024,
            "medium" => 2048,
            "high" or "xhigh" => 4096,
            _ => 0,
        };
        budget = Math.Min(budget, maxTokens - 1);
        return budget >= MinThinkingBudget ? budget : 0;
    }

    /// <summary>
    /// Every system and developer message, wherever it stands, becomes the top-level <c>system</c>: a string for one
    /// plain message, text blocks otherwise (keeping each part's <c>cache_control</c>).
    /// </summary>
    private static void WriteSystem(Utf8JsonWriter json, List<ChatMessage> messages)
    {
        var count = 0;
        ChatMessage? only = null;
        foreach (var message in messages)
        {
            if (!IsSystem(message)) continue;
            count++;
            only = message;
        }
        if (count == 0) return;
        if (count == 1 && only!.Content?.Text is { } text)
        {
            json.WriteString("system"u8, text);
            return;
        }
        json.WriteStartArray("system"u8);
        foreach (var message in messages)
        {
            if (!IsSystem(message) || message.Content is not { } content) continue;
            if (content.Text is { } plain)
            {
                WriteTextBlock(json, plain, null);
                continue;
            }
            foreach (var part in content.Parts!)
            {
                if (part.Text is { } partText) WriteTextBlock(json, partText, part.AdditionalProperties);
            }
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// The conversation without its system messages. Tool messages become <c>tool_result</c> blocks of one user turn,
    /// and a user message right after them joins that turn behind the results, the order Anthropic asks for.
    /// </summary>
    private static void WriteMessages(Utf8JsonWriter json, List<ChatMessage> messages)
    {
        json.WriteStartArray("messages"u8);
        var resultsOpen = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            switch (message.Role)
            {
                case ChatRoles.System or ChatRoles.Developer:
                    continue;
                case ChatRoles.Tool or ChatRoles.Function:
                    if (!resultsOpen)
                    {
                        json.WriteStartObject();
                        json.WriteString("role"u8, "user"u8);
                        json.WriteStartArray("content"u8);
                        resultsOpen = true;
                    }
                    WriteToolResult(json, message, i);
                    continue;
                case ChatRoles.Assistant:
                    CloseResults(json, ref resultsOpen);
                    WriteAssistant(json, message, i);
                    continue;
                default:
                    if (resultsOpen)
                    {
                        WriteBlocks(json, message.Content, i);
                        CloseResults(json, ref resultsOpen);
                        continue;
                    }
                    json.WriteStartObject();
                    json.WriteString("role"u8, "user"u8);
                    WriteContent(json, message.Content, i);
                    json.WriteEndObject();
                    continue;
            }
        }
        CloseResults(json, ref resultsOpen);
        json.WriteEndArray();
    }

    private static void CloseResults(Utf8JsonWriter json, ref bool resultsOpen)
    {
        if (!resultsOpen) return;
        json.WriteEndArray();
        json.WriteEndObject();
        resultsOpen = false;
    }

    private static void WriteToolResult(Utf8JsonWriter json, ChatMessage message, int index)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "tool_result"u8);
        // The legacy function role names the function, not a call; its name is the best id there is.
        json.WriteString("tool_use_id"u8, message.ToolCallId ?? message.Name ?? "");
        if (message.Content is { Text: { Length: > 0 } text }) json.WriteString("content"u8, text);
        else if (message.Content is { Parts.Count: > 0 } content)
        {
            json.WritePropertyName("content"u8);
            json.WriteStartArray();
            WriteBlocks(json, content, index);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// An assistant turn: thinking blocks it carries back (with their signatures, which Anthropic checks when
    /// thinking is on), its text, then its tool calls as <c>tool_use</c> blocks. An assistant message with none of
    /// these is left out, since Anthropic refuses empty turns.
    /// </summary>
    private static void WriteAssistant(Utf8JsonWriter json, ChatMessage message, int index)
    {
        var thinking = message.AdditionalProperties is { } extra && extra.TryGetValue("thinking_blocks", out var blocks) && blocks.ValueKind == JsonValueKind.Array
            ? blocks
            : (JsonElement?)null;
        var calls = message.ToolCalls is { Count: > 0 } toolCalls ? toolCalls : null;
        var content = message.Content;

        if (thinking is null && calls is null)
        {
            if (content is null || content.Text is "" || content.Parts is { Count: 0 }) return;
            json.WriteStartObject();
            json.WriteString("role"u8, "assistant"u8);
            WriteContent(json, content, index);
            json.WriteEndObject();
            return;
        }

        json.WriteStartObject();
        json.WriteString("role"u8, "assistant"u8);
        json.WriteStartArray("content"u8);
        if (thinking is { } thoughts)
        {
            foreach (var block in thoughts.EnumerateArray()) block.WriteTo(json);
        }
        WriteBlocks(json, content, index);
        if (calls is not null)
        {
            for (var c = 0; c < calls.Count; c++) WriteToolUse(json, calls[c], index, c);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteToolUse(Utf8JsonWriter json, ToolCall call, int message, int index)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "tool_use"u8);
        json.WriteString("id"u8, call.Id);
        json.WriteString("name"u8, call.Function.Name ?? "");
        json.WritePropertyName("input"u8);
        var arguments = call.Function.Arguments;
        if (string.IsNullOrWhiteSpace(arguments))
        {
            json.WriteStartObject();
            json.WriteEndObject();
        }
        else
        {
            try
            {
                using var parsed = JsonDocument.Parse(arguments);
                if (parsed.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("not an object");
                parsed.RootElement.WriteTo(json);
            }
            catch (JsonException)
            {
                throw SwitchboardException.BadRequest(
                    $"messages[{message}].tool_calls[{index}].function.arguments must be a JSON object to send to an Anthropic model, not '{Shorten(arguments)}'.",
                    $"messages[{message}].tool_calls[{index}].function.arguments");
            }
        }
        json.WriteEndObject();
    }

    /// <summary>Plain text stays a string, as the client wrote it; parts become blocks.</summary>
    private static void WriteContent(Utf8JsonWriter json, ChatContent? content, int index)
    {
        if (content?.Parts is null)
        {
            json.WriteString("content"u8, content?.Text ?? "");
            return;
        }
        json.WriteStartArray("content"u8);
        WriteBlocks(json, content, index);
        json.WriteEndArray();
    }

    /// <summary>The content's blocks, written into an array already open. Empty text is left out: Anthropic refuses empty text blocks.</summary>
    private static void WriteBlocks(Utf8JsonWriter json, ChatContent? content, int index)
    {
        if (content is null) return;
        if (content.Parts is null)
        {
            if (!string.IsNullOrEmpty(content.Text)) WriteTextBlock(json, content.Text, null);
            return;
        }
        for (var p = 0; p < content.Parts.Count; p++)
        {
            var part = content.Parts[p];
            switch (part.Type)
            {
                case ContentPartTypes.Text:
                    if (!string.IsNullOrEmpty(part.Text)) WriteTextBlock(json, part.Text, part.AdditionalProperties);
                    break;
                case ContentPartTypes.ImageUrl when part.ImageUrl is { } image:
                    WriteImage(json, image.Url, part.AdditionalProperties, $"messages[{index}].content[{p}].image_url.url");
                    break;
                case "file" when FileData(part) is { } file:
                    WriteMedia(json, "document"u8, file, part.AdditionalProperties, $"messages[{index}].content[{p}].file.file_data");
                    break;
                default:
                    // A kind Switchboard does not translate goes as it is: Anthropic either knows it or says what is wrong.
                    JsonSerializer.Serialize(json, part, ChatJsonContext.Default.ContentPart);
                    break;
            }
        }
    }

    private static void WriteTextBlock(Utf8JsonWriter json, string text, Dictionary<string, JsonElement>? extra)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "text"u8);
        json.WriteString("text"u8, text);
        WriteCacheControl(json, extra);
        json.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter json, string url, Dictionary<string, JsonElement>? extra, string param)
    {
        if (DataUrl.IsDataUrl(url))
        {
            WriteMedia(json, "image"u8, url, extra, param);
            return;
        }
        json.WriteStartObject();
        json.WriteString("type"u8, "image"u8);
        json.WriteStartObject("source"u8);
        json.WriteString("type"u8, "url"u8);
        json.WriteString("url"u8, url);
        json.WriteEndObject();
        WriteCacheControl(json, extra);
        json.WriteEndObject();
    }

    /// <summary>A <c>data:</c> URL as a base64 source: <c>data:image/png;base64,AAAA</c> → media type and data.</summary>
    private static void WriteMedia(Utf8JsonWriter json, ReadOnlySpan<byte> blockType, string dataUrl, Dictionary<string, JsonElement>? extra, string param)
    {
        if (!DataUrl.TryParse(dataUrl, out var data))
        {
            throw SwitchboardException.BadRequest(
                $"{param} must be a data URL such as data:image/png;base64,iVBORw0... to send to an Anthropic model.", param);
        }
        json.WriteStartObject();
        json.WriteString("type"u8, blockType);
        json.WriteStartObject("source"u8);
        json.WriteString("type"u8, "base64"u8);
        json.WriteString("media_type"u8, data.MediaType);
        json.WriteString("data"u8, data.Base64.Span);
        json.WriteEndObject();
        WriteCacheControl(json, extra);
        json.WriteEndObject();
    }

    /// <summary>The <c>file_data</c> data URL of an OpenAI <c>file</c> part (a PDF), or null.</summary>
    private static string? FileData(ContentPart part) =>
        part.AdditionalProperties is { } extra && extra.TryGetValue("file", out var file) && file.ValueKind == JsonValueKind.Object
        && file.TryGetProperty("file_data", out var data) && data.ValueKind == JsonValueKind.String
            ? data.GetString()
            : null;

    private static void WriteCacheControl(Utf8JsonWriter json, Dictionary<string, JsonElement>? extra)
    {
        // OpenRouter-style clients mark cache breakpoints on parts with Anthropic's own field; keep them.
        if (extra is null || !extra.TryGetValue("cache_control", out var cacheControl)) return;
        json.WritePropertyName("cache_control"u8);
        cacheControl.WriteTo(json);
    }

    private static void WriteStop(Utf8JsonWriter json, StopSequences? stop)
    {
        if (stop is null || stop.Values.Count == 0) return;
        json.WriteStartArray("stop_sequences"u8);
        foreach (var value in stop.Values)
        {
            // Anthropic refuses stop sequences of only whitespace; OpenAI accepts and ignores them.
            if (!string.IsNullOrWhiteSpace(value)) json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteTools(Utf8JsonWriter json, List<ChatTool> tools)
    {
        json.WriteStartArray("tools"u8);
        foreach (var tool in tools)
        {
            if (tool.Function is not { } function)
            {
                // Not a function: most likely one of Anthropic's own tools given by a client that knows the upstream.
                JsonSerializer.Serialize(json, tool, ChatJsonContext.Default.ChatTool);
                continue;
            }
            json.WriteStartObject();
            json.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description)) json.WriteString("description"u8, function.Description);
            json.WritePropertyName("input_schema"u8);
            if (function.Parameters is { ValueKind: JsonValueKind.Object } schema && HasProperties(schema)) schema.WriteTo(json);
            else
            {
                // Anthropic requires an object schema even for a tool without parameters.
                json.WriteStartObject();
                json.WriteString("type"u8, "object"u8);
                json.WriteStartObject("properties"u8);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            WriteCacheControl(json, tool.AdditionalProperties);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static bool HasProperties(JsonElement schema)
    {
        using var properties = schema.EnumerateObject();
        return properties.MoveNext();
    }

    /// <summary>
    /// <c>auto</c>, <c>none</c>, <c>required</c> and a named function become <c>auto</c>, <c>none</c>, <c>any</c>
    /// and <c>tool</c>; <c>parallel_tool_calls: false</c> becomes <c>disable_parallel_tool_use</c>, which lives in
    /// the tool choice, so it brings an <c>auto</c> choice along when the client gave none.
    /// </summary>
    private static void WriteToolChoice(Utf8JsonWriter json, ToolChoice? choice, bool? parallel)
    {
        var serial = parallel == false;
        if (choice is null && !serial) return;
        json.WriteStartObject("tool_choice"u8);
        if (choice?.FunctionName is { } name)
        {
            json.WriteString("type"u8, "tool"u8);
            json.WriteString("name"u8, name);
        }
        else
        {
            switch (choice?.Mode)
            {
                case ToolChoice.None:
                    json.WriteString("type"u8, "none"u8);
                    json.WriteEndObject();
                    return;
                case ToolChoice.Required:
                    json.WriteString("type"u8, "any"u8);
                    break;
                default:
                    json.WriteString("type"u8, "auto"u8);
                    break;
            }
        }
        if (serial) json.WriteBoolean("disable_parallel_tool_use"u8, true);
        json.WriteEndObject();
    }

    private static bool IsSystem(ChatMessage message) => message.Role is ChatRoles.System or ChatRoles.Developer;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
