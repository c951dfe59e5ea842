using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Writes a canonical request as a Gemini <c>GenerateContentRequest</c>: <c>contents</c> (roles <c>user</c> and
/// <c>model</c>), <c>systemInstruction</c>, <c>tools</c>, <c>toolConfig</c> and <c>generationConfig</c>. The model and
/// whether to stream are in the URL, not the body.
/// </summary>
internal static class GeminiRequestWriter
{
    /// <summary>
    /// The signature Google documents for function calls the model did not produce itself (another provider's turns,
    /// a client's transcript): Gemini 3 answers 400 to a step whose first <c>functionCall</c> has no signature, and the
    /// canonical shape has nowhere to keep the real one.
    /// </summary>
    public const string ForeignThoughtSignature = "skip_thought_signature_validator";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(ChatRequest request, IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        WriteContents(json, request.Messages);
        WriteSystemInstruction(json, request.Messages);
        var declared = WriteTools(json, request.Tools);
        if (declared) WriteToolConfig(json, request.ToolChoice);
        WriteGenerationConfig(json, request);
        json.WriteEndObject();
    }

    private static void WriteContents(Utf8JsonWriter json, List<ChatMessage> messages)
    {
        json.WriteStartArray("contents"u8);
        string? open = null;
        var signed = false;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role is ChatRoles.System or ChatRoles.Developer) continue;
            var role = message.Role == ChatRoles.Assistant ? "model" : "user";
            if (!HasParts(message)) continue;
            // Gemini wants turns to alternate, and the answers to parallel calls in one turn: consecutive messages
            // of one role (several tool results, a result and the user's next words) share a content.
            if (open != role)
            {
                if (open is not null)
                {
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
                json.WriteStartObject();
                json.WriteString("role"u8, role);
                json.WriteStartArray("parts"u8);
                open = role;
                signed = false;
            }
            switch (message.Role)
            {
                case ChatRoles.Assistant:
                    WriteContentParts(json, message.Content);
                    if (message.ToolCalls is { } calls)
                    {
                        foreach (var call in calls) WriteFunctionCall(json, call, ref signed);
                    }
                    break;
                case ChatRoles.Tool or ChatRoles.Function:
                    WriteFunctionResponse(json, messages, i);
                    break;
                default:
                    WriteContentParts(json, message.Content);
                    break;
            }
        }
        if (open is not null)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static bool HasParts(ChatMessage message)
    {
        if (message.Role is ChatRoles.Tool or ChatRoles.Function) return true;
        if (message.ToolCalls is { Count: > 0 }) return true;
        return message.Content switch
        {
            { Text: { } text } => text.Length > 0,
            { Parts: { } parts } => parts.Exists(p => p.Type != ContentPartTypes.Text || !string.IsNullOrEmpty(p.Text)),
            _ => false,
        };
    }

    private static void WriteSystemInstruction(Utf8JsonWriter json, List<ChatMessage> messages)
    {
        var any = false;
        foreach (var message in messages)
        {
            if (message.Role is not (ChatRoles.System or ChatRoles.Developer)) continue;
            var text = message.Content?.AllText();
            if (string.IsNullOrEmpty(text)) continue;
            if (!any)
            {
                json.WriteStartObject("systemInstruction"u8);
                json.WriteStartArray("parts"u8);
                any = true;
            }
            json.WriteStartObject();
            json.WriteString("text"u8, text);
            json.WriteEndObject();
        }
        if (any)
        {
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    private static void WriteContentParts(Utf8JsonWriter json, ChatContent? content)
    {
        if (content is null) return;
        if (content.Parts is null)
        {
            if (!string.IsNullOrEmpty(content.Text)) WriteText(json, content.Text);
            return;
        }
        foreach (var part in content.Parts)
        {
            switch (part.Type)
            {
                case ContentPartTypes.Text when !string.IsNullOrEmpty(part.Text):
                    WriteText(json, part.Text);
                    break;
                case ContentPartTypes.ImageUrl when part.ImageUrl is { Url.Length: > 0 } image:
                    WriteMedia(json, image.Url, GuessImageType(image.Url));
                    break;
                case "input_audio" when Property(part, "input_audio") is { ValueKind: JsonValueKind.Object } audio
                                        && audio.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String:
                    json.WriteStartObject();
                    json.WriteStartObject("inlineData"u8);
                    json.WriteString("mimeType"u8, audio.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String ? "audio/" + format.GetString() : "audio/wav");
                    json.WriteString("data"u8, data.GetString());
                    json.WriteEndObject();
                    json.WriteEndObject();
                    break;
                case "file" when Property(part, "file") is { ValueKind: JsonValueKind.Object } file
                                 && file.TryGetProperty("file_data", out var fileData) && fileData.ValueKind == JsonValueKind.String:
                    WriteMedia(json, fileData.GetString()!, "application/octet-stream");
                    break;
            }
        }
    }

    private static JsonElement? Property(ContentPart part, string name) =>
        part.AdditionalProperties?.TryGetValue(name, out var value) == true ? value : null;

    private static void WriteText(Utf8JsonWriter json, string text)
    {
        json.WriteStartObject();
        json.WriteString("text"u8, text);
        json.WriteEndObject();
    }

    /// <summary>A <c>data:</c> URL as <c>inlineData</c>; anything else as <c>fileData</c> pointing at the URL.</summary>
    private static void WriteMedia(Utf8JsonWriter json, string url, string fallbackType)
    {
        json.WriteStartObject();
        if (DataUrl.TryParse(url, out var data))
        {
            json.WriteStartObject("inlineData"u8);
            json.WriteString("mimeType"u8, data.MediaType.Length > 0 ? data.MediaType : fallbackType);
            json.WriteString("data"u8, data.Base64.Span);
        }
        else
        {
            json.WriteStartObject("fileData"u8);
            json.WriteString("mimeType"u8, fallbackType);
            json.WriteString("fileUri"u8, url);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The media type an image URL's extension names; Gemini needs one, and <c>image/*</c> says no more than the part's kind.</summary>
    private static string GuessImageType(string url)
    {
        var path = url.AsSpan();
        var end = path.IndexOfAny('?', '#');
        if (end >= 0) path = path[..end];
        var dot = path.LastIndexOf('.');
        var extension = dot >= 0 && path.LastIndexOf('/') < dot ? path[(dot + 1)..] : default;
        return extension.ToString().ToLowerInvariant() switch
        {
            "png" => "image/png",
            "jpg" or "jpeg" => "image/jpeg",
            "webp" => "image/webp",
            "gif" => "image/gif",
            "heic" => "image/heic",
            "heif" => "image/heif",
            "pdf" => "application/pdf",
            _ => "image/*",
        };
    }

    private static void WriteFunctionCall(Utf8JsonWriter json, ToolCall call, ref bool signed)
    {
        json.WriteStartObject();
        json.WriteStartObject("functionCall"u8);
        json.WriteString("name"u8, call.Function.Name ?? "");
        json.WritePropertyName("args"u8);
        WriteObjectOrWrap(json, call.Function.Arguments, wrapAs: null);
        json.WriteEndObject();
        if (!signed)
        {
            json.WriteString("thoughtSignature"u8, ForeignThoughtSignature);
            signed = true;
        }
        json.WriteEndObject();
    }

    private static void WriteFunctionResponse(Utf8JsonWriter json, List<ChatMessage> messages, int index)
    {
        var message = messages[index];
        json.WriteStartObject();
        json.WriteStartObject("functionResponse"u8);
        json.WriteString("name"u8, CalledFunction(messages, index) ?? message.Name ?? message.ToolCallId ?? "");
        json.WritePropertyName("response"u8);
        WriteObjectOrWrap(json, message.Content?.AllText(), wrapAs: "content");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>
    /// The name of the function a tool message answers, from the call with its id; the nearest earlier call
    /// wins, since ids made up for other providers' answers (<c>call_0</c>) can repeat across turns.
    /// </summary>
    private static string? CalledFunction(List<ChatMessage> messages, int index)
    {
        var id = messages[index].ToolCallId;
        if (id is null) return null;
        for (var i = index - 1; i >= 0; i--)
        {
            if (messages[i].ToolCalls is not { } calls) continue;
            foreach (var call in calls)
            {
                if (call.Id == id) return call.Function.Name;
            }
        }
        return null;
    }

    /// <summary>
    /// Writes <paramref name="text"/> as a JSON object when it is one (Gemini's <c>args</c> and <c>response</c> are
    /// objects); otherwise <c>{"<paramref name="wrapAs"/>": text}</c>, or <c>{}</c> when there is nothing to wrap in.
    /// </summary>
    private static void WriteObjectOrWrap(Utf8JsonWriter json, string? text, string? wrapAs)
    {
        if (!string.IsNullOrWhiteSpace(text) && text.AsSpan().TrimStart().StartsWith("{"))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    document.RootElement.WriteTo(json);
                    return;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: it is wrapped as text below.
            }
        }
        json.WriteStartObject();
        if (wrapAs is not null) json.WriteString(wrapAs, text ?? "");
        json.WriteEndObject();
    }

    /// <summary>Writes the function tools; false when there are none (Gemini then takes no tool config either).</summary>
    private static bool WriteTools(Utf8JsonWriter json, List<ChatTool>? tools)
    {
        if (tools is null || !tools.Exists(t => t.Function is not null)) return false;
        json.WriteStartArray("tools"u8);
        json.WriteStartObject();
        json.WriteStartArray("functionDeclarations"u8);
        foreach (var tool in tools)
        {
            if (tool.Function is not { } function) continue;
            json.WriteStartObject();
            json.WriteString("name"u8, function.Name);
            if (!string.IsNullOrEmpty(function.Description)) json.WriteString("description"u8, function.Description);
            if (function.Parameters is { } parameters && !GeminiSchema.IsEmptyObject(parameters))
            {
                json.WritePropertyName("parameters"u8);
                GeminiSchema.Write(json, parameters);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
        return true;
    }

    private static void WriteToolConfig(Utf8JsonWriter json, ToolChoice? choice)
    {
        if (choice is null) return;
        json.WriteStartObject("toolConfig"u8);
        json.WriteStartObject("functionCallingConfig"u8);
        if (choice.FunctionName is { } name)
        {
            json.WriteString("mode"u8, "ANY"u8);
            json.WriteStartArray("allowedFunctionNames"u8);
            json.WriteStringValue(name);
            json.WriteEndArray();
        }
        else
        {
            json.WriteString("mode"u8, choice.Mode switch
            {
                ToolChoice.None => "NONE",
                ToolChoice.Required => "ANY",
                _ => "AUTO",
            });
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteGenerationConfig(Utf8JsonWriter json, ChatRequest request)
    {
        var extra = request.AdditionalProperties;
        var presence = Number(extra, "presence_penalty");
        var frequency = Number(extra, "frequency_penalty");
        var thinkingBudget = ThinkingBudget(extra);
        var maxTokens = request.MaxCompletionTokens ?? request.MaxTokens;
        var format = request.ResponseFormat?.Type;
        var wantsJson = format is "json_object" or "json_schema";
        if (request.Temperature is null && request.TopP is null && maxTokens is null && request.Stop is not { Values.Count: > 0 } && request.N is null
            && request.Seed is null && presence is null && frequency is null && thinkingBudget is null && !wantsJson) return;

        json.WriteStartObject("generationConfig"u8);
        if (request.Temperature is { } temperature) json.WriteNumber("temperature"u8, temperature);
        if (request.TopP is { } topP) json.WriteNumber("topP"u8, topP);
        if (maxTokens is { } max) json.WriteNumber("maxOutputTokens"u8, max);
        if (request.Stop is { Values.Count: > 0 } stop)
        {
            json.WriteStartArray("stopSequences"u8);
            foreach (var sequence in stop.Values) json.WriteStringValue(sequence);
            json.WriteEndArray();
        }
        if (request.N is { } n) json.WriteNumber("candidateCount"u8, n);
        // Gemini's seed is an int32; a larger one keeps its low bits, which still makes it deterministic.
        if (request.Seed is { } seed) json.WriteNumber("seed"u8, unchecked((int)seed));
        if (presence is { } p) json.WriteNumber("presencePenalty"u8, p);
        if (frequency is { } f) json.WriteNumber("frequencyPenalty"u8, f);
        if (wantsJson)
        {
            json.WriteString("responseMimeType"u8, "application/json"u8);
            if (format == "json_schema" && request.ResponseFormat!.JsonSchema is { ValueKind: JsonValueKind.Object } schemaFormat
                && schemaFormat.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object)
            {
                json.WritePropertyName("responseSchema"u8);
                GeminiSchema.Write(json, schema);
            }
        }
        if (thinkingBudget is { } budget)
        {
            json.WriteStartObject("thinkingConfig"u8);
            json.WriteNumber("thinkingBudget"u8, budget);
            // Thoughts asked for are thoughts shown: they come back as reasoning_content.
            if (budget != 0) json.WriteBoolean("includeThoughts"u8, true);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static double? Number(Dictionary<string, JsonElement>? extra, string name) =>
        extra?.TryGetValue(name, out var value) == true && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>
    /// OpenAI's <c>reasoning_effort</c> as a thinking budget, with the values of Google's own OpenAI-compatible
    /// endpoint (none 0, low 1024, medium 8192, high 24576).
    /// </summary>
    private static int? ThinkingBudget(Dictionary<string, JsonElement>? extra)
    {
        if (extra?.TryGetValue("reasoning_effort", out var effort) != true || effort.ValueKind != JsonValueKind.String) return null;
        return effort.GetString() switch
        {
            "none" => 0,
            "minimal" or "low" => 1024,
            "medium" => 8192,
            "high" => 24576,
            _ => null,
        };
    }
}
