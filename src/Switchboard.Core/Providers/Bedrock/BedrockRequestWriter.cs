using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Bedrock;

/// <summary>
/// Writes a canonical (OpenAI-shaped) request as a Converse / ConverseStream body. The model is not in the body:
/// it is part of the path.
/// </summary>
/// <remarks>
/// Converse insists on a conversation that alternates user and assistant turns, so consecutive messages that land
/// on the same role (several tool results, a tool result and the user's next words) become one message with all
/// their blocks. It rejects blank text blocks, so those are left out.
/// </remarks>
internal static class BedrockRequestWriter
{
    // Base64 image data is full of '+' and '/', which the default encoder would escape; this body never meets HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(ChatRequest request, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        WriteMessages(json, request.Messages);
        WriteSystem(json, request.Messages);
        WriteInferenceConfig(json, request);
        WriteToolConfig(json, request);
        json.WriteEndObject();
    }

    private static void WriteMessages(Utf8JsonWriter json, List<ChatMessage> messages)
    {
        json.WriteStartArray("messages"u8);
        string? open = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            var role = message.Role switch
            {
                ChatRoles.System or ChatRoles.Developer => null,
                ChatRoles.Assistant => "assistant",
                _ => "user",
            };
            if (role is null || !HasBlocks(message)) continue;
            if (role != open)
            {
                if (open is not null) EndMessage(json);
                json.WriteStartObject();
                json.WriteString("role"u8, role);
                json.WriteStartArray("content"u8);
                open = role;
            }
            switch (message.Role)
            {
                case ChatRoles.Assistant:
                    WriteContent(json, message.Content, $"messages[{i}].content");
                    WriteToolUses(json, message.ToolCalls, i);
                    break;
                case ChatRoles.Tool or ChatRoles.Function:
                    WriteToolResult(json, message, i);
                    break;
                default:
                    WriteContent(json, message.Content, $"messages[{i}].content");
                    break;
            }
        }
        if (open is not null) EndMessage(json);
        json.WriteEndArray();
    }

    private static void EndMessage(Utf8JsonWriter json)
    {
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Whether the message turns into at least one content block; an empty message would be rejected.</summary>
    private static bool HasBlocks(ChatMessage message) =>
        message.Role is ChatRoles.Tool or ChatRoles.Function
        || message.ToolCalls is { Count: > 0 }
        || message.Content is { Text: { } text } && !string.IsNullOrWhiteSpace(text)
        || message.Content is { Parts: { } parts } && parts.Exists(p => p.Type != ContentPartTypes.Text || !string.IsNullOrWhiteSpace(p.Text));

    private static void WriteSystem(Utf8JsonWriter json, List<ChatMessage> messages)
    {
        var any = false;
        foreach (var message in messages)
        {
            if (message.Role is not (ChatRoles.System or ChatRoles.Developer) || message.Content is null) continue;
            // The system prompt takes text only; parts are joined as the client would read them.
            var text = message.Content.AllText();
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!any) json.WriteStartArray("system"u8);
            any = true;
            json.WriteStartObject();
            json.WriteString("text"u8, text);
            json.WriteEndObject();
        }
        if (any) json.WriteEndArray();
    }

    private static void WriteContent(Utf8JsonWriter json, ChatContent? content, string param)
    {
        if (content is null) return;
        if (content.Text is { } text)
        {
            WriteText(json, text);
            return;
        }
        if (content.Parts is not { } parts) return;
        for (var j = 0; j < parts.Count; j++)
        {
            var part = parts[j];
            switch (part.Type)
            {
                case ContentPartTypes.Text:
                    WriteText(json, part.Text);
                    break;
                case ContentPartTypes.ImageUrl:
                    WriteImage(json, part.ImageUrl?.Url, $"{param}[{j}].image_url");
                    break;
                default:
                    throw SwitchboardException.BadRequest(
                        $"Bedrock's Converse API takes text and image parts; part {j} of {param} is of type '{part.Type}'.", $"{param}[{j}].type", "unsupported_content");
            }
        }
    }

    private static void WriteText(Utf8JsonWriter json, string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        json.WriteStartObject();
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }

    /// <summary>An image block from a <c>data:</c> URL; Converse takes image bytes only, never a URL to fetch.</summary>
    private static void WriteImage(Utf8JsonWriter json, string? url, string param)
    {
        if (url is null || !DataUrl.TryParse(url, out var data))
        {
            throw SwitchboardException.BadRequest(
                "Bedrock needs inline images: its Converse API cannot fetch an image from a URL. Send the image as a data: URL (data:image/png;base64,...).",
                param, "image_url_not_supported");
        }
        var mediaType = data.MediaType;
        var format = mediaType switch
        {
            "image/png" => "png",
            "image/jpeg" or "image/jpg" => "jpeg",
            "image/gif" => "gif",
            "image/webp" => "webp",
            _ => throw SwitchboardException.BadRequest($"Bedrock takes png, jpeg, gif and webp images; this one is '{mediaType}'.", param, "unsupported_image_format"),
        };
        json.WriteStartObject();
        json.WriteStartObject("image"u8);
        json.WriteString("format"u8, format);
        json.WriteStartObject("source"u8);
        // Converse's blobs travel as base64 strings, which is what the data: URL already holds.
        json.WriteString("bytes"u8, data.Base64.Span);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteToolUses(Utf8JsonWriter json, List<ToolCall>? calls, int index)
    {
        if (calls is null) return;
        for (var j = 0; j < calls.Count; j++)
        {
            var call = calls[j];
            json.WriteStartObject();
            json.WriteStartObject("toolUse"u8);
            json.WriteString("toolUseId"u8, call.Id);
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
                    // Converse wants the input as a JSON document, where OpenAI carries it as text.
                    json.WriteRawValue(arguments);
                }
                catch (Exception e) when (e is JsonException or ArgumentException)
                {
                    throw SwitchboardException.BadRequest(
                        $"The arguments of tool call '{call.Id}' are not valid JSON, and Bedrock needs them as a JSON document.",
                        $"messages[{index}].tool_calls[{j}].function.arguments", "invalid_tool_arguments");
                }
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    /// <summary>
    /// A tool message as a <c>toolResult</c> block. The text goes as <c>{"text"}</c>, byte for byte as the client sent it;
    /// <c>status</c> is left out because OpenAI's tool messages have none and only some models accept the field.
    /// </summary>
    private static void WriteToolResult(Utf8JsonWriter json, ChatMessage message, int index)
    {
        json.WriteStartObject();
        json.WriteStartObject("toolResult"u8);
        json.WriteString("toolUseId"u8, message.ToolCallId ?? message.Name ?? "");
        json.WriteStartArray("content"u8);
        WriteContent(json, message.Content, $"messages[{index}].content");
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInferenceConfig(Utf8JsonWriter json, ChatRequest request)
    {
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        var stops = request.Stop?.Values;
        if (maxTokens is null && request.Temperature is null && request.TopP is null && stops is not { Count: > 0 }) return;
        json.WriteStartObject("inferenceConfig"u8);
        if (maxTokens is { } max) json.WriteNumber("maxTokens"u8, max);
        if (request.Temperature is { } temperature) json.WriteNumber("temperature"u8, temperature);
        if (request.TopP is { } topP) json.WriteNumber("topP"u8, topP);
        if (stops is { Count: > 0 })
        {
            json.WriteStartArray("stopSequences"u8);
            foreach (var stop in stops) json.WriteStringValue(stop);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }

    /// <summary>
    /// Tools as <c>toolSpec</c>s with the parameters' schema under <c>inputSchema.json</c>, and the choice: <c>required</c> is
    /// <c>{"any":{}}</c>, a named function <c>{"tool":{"name"}}</c>. <c>auto</c> is Converse's default and is left out rather
    /// than written, because models without tool choice (Llama, Cohere) reject the field even when it says auto.
    /// <c>none</c> sends no tools, unless the conversation already holds tool calls or results: Converse refuses those
    /// without a <c>toolConfig</c>, so then the tools go without a choice.
    /// </summary>
    private static void WriteToolConfig(Utf8JsonWriter json, ChatRequest request)
    {
        if (request.Tools is not { Count: > 0 } tools) return;
        var choice = request.ToolChoice;
        var none = choice?.Mode == ToolChoice.None;
        if (none && !HasToolHistory(request.Messages)) return;

        json.WriteStartObject("toolConfig"u8);
        json.WriteStartArray("tools"u8);
        for (var i = 0; i < tools.Count; i++)
        {
            var tool = tools[i];
            if (tool.Type != "function" || tool.Function is not { } function)
                throw SwitchboardException.BadRequest($"Bedrock takes function tools only; tools[{i}] is of type '{tool.Type}'.", $"tools[{i}].type", "unsupported_tool");
            json.WriteStartObject();
            json.WriteStartObject("toolSpec"u8);
            json.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description)) json.WriteString("description"u8, function.Description);
            json.WriteStartObject("inputSchema"u8);
            json.WritePropertyName("json"u8);
            if (function.Parameters is { ValueKind: JsonValueKind.Object } parameters) parameters.WriteTo(json);
            else
            {
                // A function without parameters still needs a schema; an empty object is what OpenAI assumes.
                json.WriteStartObject();
                json.WriteString("type"u8, "object");
                json.WriteStartObject("properties"u8);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (!none && choice is not null)
        {
            if (choice.FunctionName is { } name)
            {
                json.WriteStartObject("toolChoice"u8);
                json.WriteStartObject("tool"u8);
                json.WriteString("name"u8, name);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            else if (choice.Mode == ToolChoice.Required)
            {
                json.WriteStartObject("toolChoice"u8);
                json.WriteStartObject("any"u8);
                json.WriteEndObject();
                json.WriteEndObject();
            }
        }
        json.WriteEndObject();
    }

    private static bool HasToolHistory(List<ChatMessage> messages) =>
        messages.Exists(m => m.Role is ChatRoles.Tool or ChatRoles.Function || m.ToolCalls is { Count: > 0 });
}
