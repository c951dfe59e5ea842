using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Writes a canonical request as Ollama's <c>/api/chat</c> body: messages with text in <c>content</c> and images as a
/// base64 <c>images</c> list, assistant tool calls with their arguments as JSON objects, tool results as role
/// <c>tool</c> with the <c>tool_name</c> they answer, <c>tools</c>, sampling in <c>options</c>
/// (<c>temperature</c>, <c>top_p</c>, <c>num_predict</c>, <c>stop</c>, <c>seed</c>, penalties), JSON modes as
/// <c>format</c>, <c>reasoning_effort</c> as <c>think</c>, and <c>stream</c>.
/// </summary>
internal static class OllamaRequestWriter
{
    public static void Write(ChatRequest request, string model, bool stream, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("model"u8, model);
        json.WriteStartArray("messages"u8);
        for (var i = 0; i < request.Messages.Count; i++) WriteMessage(json, request.Messages, i);
        json.WriteEndArray();
        WriteTools(json, request);
        WriteFormat(json, request.ResponseFormat);
        WriteOptions(json, request);
        WriteThink(json, request);
        json.WriteBoolean("stream"u8, stream);
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, List<ChatMessage> messages, int index)
    {
        var message = messages[index];
        json.WriteStartObject();
        json.WriteString("role"u8, message.Role switch
        {
            ChatRoles.Developer => ChatRoles.System,
            ChatRoles.Function => ChatRoles.Tool,
            var role => role,
        });

        var images = new List<string>();
        json.WriteString("content"u8, Text(message.Content, index, images));
        if (images.Count > 0)
        {
            json.WriteStartArray("images"u8);
            foreach (var image in images) json.WriteStringValue(image);
            json.WriteEndArray();
        }
        if (message.AdditionalProperties?.GetValueOrDefault("reasoning_content") is { ValueKind: JsonValueKind.String } thinking)
            json.WriteString("thinking"u8, thinking.GetString());

        if (message.ToolCalls is { Count: > 0 } calls)
        {
            json.WriteStartArray("tool_calls"u8);
            for (var j = 0; j < calls.Count; j++)
            {
                json.WriteStartObject();
                if (calls[j].Id.Length > 0) json.WriteString("id"u8, calls[j].Id);
                json.WriteStartObject("function"u8);
                json.WriteString("name"u8, calls[j].Function.Name ?? "");
                json.WritePropertyName("arguments"u8);
                WriteArguments(json, calls[j].Function.Arguments, index, j);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        if (message.Role is ChatRoles.Tool or ChatRoles.Function)
        {
            // Ollama matches a result to its call by the tool's name; OpenAI clients give only the call's id.
            if ((message.Name ?? ToolNameOf(messages, index, message.ToolCallId)) is { } name) json.WriteString("tool_name"u8, name);
            if (message.ToolCallId is { } id) json.WriteString("tool_call_id"u8, id);
        }
        json.WriteEndObject();
    }

    /// <summary>The text of a message, parts joined by newlines; image parts go to <paramref name="images"/> as base64.</summary>
    private static string Text(ChatContent? content, int index, List<string> images)
    {
        if (content is null) return "";
        if (content.Parts is not { } parts) return content.Text ?? "";
        var text = new StringBuilder();
        for (var j = 0; j < parts.Count; j++)
        {
            var part = parts[j];
            switch (part.Type)
            {
                case ContentPartTypes.Text:
                    if (text.Length > 0) text.Append('\n');
                    text.Append(part.Text);
                    break;
                case ContentPartTypes.ImageUrl:
                    images.Add(Base64Image(part.ImageUrl?.Url ?? "", index, j));
                    break;
                default:
                    throw SwitchboardException.BadRequest(
                        $"messages[{index}].content[{j}] is a '{part.Type}' part; Ollama's native API takes text and image parts only.", "messages");
            }
        }
        return text.ToString();
    }

    /// <summary>The base64 payload of a <c>data:</c> URL; Ollama cannot fetch images, so a link is refused with the fix.</summary>
    private static string Base64Image(string url, int index, int part)
    {
        if (DataUrl.TryParse(url, out var data)) return data.Base64.ToString();
        var what = url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? "a link" : "not a data: URL";
        throw SwitchboardException.BadRequest(
            $"messages[{index}].content[{part}].image_url is {what}; Ollama takes images inline only. Send it as data:image/png;base64,... instead.",
            "messages", "invalid_image_url");
    }

    /// <summary>Ollama wants a call's arguments as a JSON object, where OpenAI gives them as JSON text.</summary>
    private static void WriteArguments(Utf8JsonWriter json, string? arguments, int index, int call)
    {
        if (string.IsNullOrWhiteSpace(arguments))
        {
            json.WriteStartObject();
            json.WriteEndObject();
            return;
        }
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(arguments));
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                json.WriteRawValue(arguments, skipInputValidation: false);
                return;
            }
        }
        catch (JsonException)
        {
            // Reported below with the message's position.
        }
        throw SwitchboardException.BadRequest($"messages[{index}].tool_calls[{call}].function.arguments must be a JSON object, not '{Shorten(arguments)}'.", "messages");
    }

    private static string? ToolNameOf(List<ChatMessage> messages, int before, string? id)
    {
        if (id is null) return null;
        for (var i = before - 1; i >= 0; i--)
        {
            if (messages[i].ToolCalls?.FirstOrDefault(c => c.Id == id) is { } call) return call.Function.Name;
        }
        return null;
    }

    /// <summary>
    /// Tools, shaped as OpenAI's. Ollama has no <c>tool_choice</c>: <c>none</c> sends no tools and a named function sends
    /// only that one, the nearest it can do; <c>auto</c> and <c>required</c> send them all.
    /// </summary>
    private static void WriteTools(Utf8JsonWriter json, ChatRequest request)
    {
        if (request.Tools is not { Count: > 0 } tools || request.ToolChoice?.Mode == ToolChoice.None) return;
        var only = request.ToolChoice?.FunctionName;
        json.WriteStartArray("tools"u8);
        foreach (var tool in tools)
        {
            if (tool.Function is not { } function || (only is not null && function.Name != only)) continue;
            json.WriteStartObject();
            json.WriteString("type"u8, "function"u8);
            json.WriteStartObject("function"u8);
            json.WriteString("name"u8, function.Name);
            if (function.Description is { } description) json.WriteString("description"u8, description);
            if (function.Parameters is { } parameters)
            {
                json.WritePropertyName("parameters"u8);
                parameters.WriteTo(json);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary><c>json_object</c> is Ollama's <c>"format": "json"</c>; <c>json_schema</c> gives its schema as the format.</summary>
    private static void WriteFormat(Utf8JsonWriter json, ResponseFormat? format)
    {
        switch (format?.Type)
        {
            case "json_object":
                json.WriteString("format"u8, "json"u8);
                break;
            case "json_schema" when format.JsonSchema is { ValueKind: JsonValueKind.Object } schema && schema.TryGetProperty("schema", out var body):
                json.WritePropertyName("format"u8);
                body.WriteTo(json);
                break;
        }
    }

    private static void WriteOptions(Utf8JsonWriter json, ChatRequest request)
    {
        var extra = request.AdditionalProperties;
        var frequency = Number(extra, "frequency_penalty");
        var presence = Number(extra, "presence_penalty");
        var limit = request.MaxCompletionTokens ?? request.MaxTokens;
        if (request is { Temperature: null, TopP: null, Stop: null, Seed: null } && limit is null && frequency is null && presence is null) return;

        json.WriteStartObject("options"u8);
        if (request.Temperature is { } temperature) json.WriteNumber("temperature"u8, temperature);
        if (request.TopP is { } topP) json.WriteNumber("top_p"u8, topP);
        if (limit is { } tokens) json.WriteNumber("num_predict"u8, tokens);
        if (request.Stop is { } stop)
        {
            json.WriteStartArray("stop"u8);
            foreach (var sequence in stop.Values) json.WriteStringValue(sequence);
            json.WriteEndArray();
        }
        if (request.Seed is { } seed) json.WriteNumber("seed"u8, seed);
        if (frequency is { } f) json.WriteNumber("frequency_penalty"u8, f);
        if (presence is { } p) json.WriteNumber("presence_penalty"u8, p);
        json.WriteEndObject();
    }

    /// <summary>OpenAI's <c>reasoning_effort</c> as Ollama's <c>think</c>, mapped the way Ollama's own OpenAI layer maps it.</summary>
    private static void WriteThink(Utf8JsonWriter json, ChatRequest request)
    {
        if (request.AdditionalProperties?.GetValueOrDefault("reasoning_effort") is not { ValueKind: JsonValueKind.String } effort) return;
        switch (effort.GetString())
        {
            case "none":
                json.WriteBoolean("think"u8, false);
                break;
            case "minimal":
                json.WriteString("think"u8, "low"u8);
                break;
            case "xhigh":
                json.WriteString("think"u8, "max"u8);
                break;
            case { Length: > 0 } level:
                json.WriteString("think"u8, level);
                break;
        }
    }

    private static double? Number(Dictionary<string, JsonElement>? extra, string name) =>
        extra?.GetValueOrDefault(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
