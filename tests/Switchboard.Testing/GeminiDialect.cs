using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Testing;

/// <summary>
/// Google's Gemini API under <c>/v1beta</c>: <c>POST models/{model}:generateContent</c>,
/// <c>POST models/{model}:streamGenerateContent</c> (server-sent events with <c>?alt=sse</c>, a JSON array without)
/// and <c>GET models</c>; with the checks of the real API that a translating client can trip over.
/// </summary>
internal sealed class GeminiDialect : IUpstreamDialect
{
    private const string JsonContentType = "application/json; charset=UTF-8";
    private const string ModelsPrefix = "/v1beta/models/";

    // The fields of Gemini's Schema: anything else in a function's parameters is an "Unknown name" 400.
    private static readonly HashSet<string> SchemaFields =
    [
        "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required",
        "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering",
        "default", "items", "minimum", "maximum",
    ];

    public ReadOnlyMemory<byte> InvalidJsonBody => GeminiPayloads.InvalidJson;

    public ReadOnlyMemory<byte> InvalidStreamChunk => GeminiPayloads.InvalidChunk;

    public UpstreamResponse Respond(RecordedRequest request)
    {
        if (request.Method == "GET" && request.Path == "/v1beta/models")
        {
            return Ok(GeminiPayloads.ModelList());
        }

        var colon = request.Path.LastIndexOf(':');
        if (request.Method != "POST" || !request.Path.StartsWith(ModelsPrefix, StringComparison.Ordinal) || colon < ModelsPrefix.Length)
        {
            return Error(StatusCodes.Status404NotFound, "NOT_FOUND", $"The requested URL {request.Path} was not found on this server.");
        }

        var model = Uri.UnescapeDataString(request.Path[ModelsPrefix.Length..colon]);
        var method = request.Path[(colon + 1)..];
        if (method is not ("generateContent" or "streamGenerateContent"))
        {
            return Error(StatusCodes.Status404NotFound, "NOT_FOUND", $"The requested URL {request.Path} was not found on this server.");
        }

        if (!request.Headers.TryGetValue("x-goog-api-key", out var key) && !request.Query.Contains("key=", StringComparison.Ordinal))
        {
            return Error(
                StatusCodes.Status403Forbidden,
                "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        }

        if (key == FakeGeminiUpstream.InvalidApiKey)
        {
            return new UpstreamResponse.Buffered(StatusCodes.Status400BadRequest, JsonContentType, FakeGeminiUpstream.ApiKeyInvalidBody());
        }

        if (!model.StartsWith("gemini", StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status404NotFound, "NOT_FOUND", NotFoundMessage(model, method));
        }

        return Generate(request, model, stream: method == "streamGenerateContent", sse: request.Query.Contains("alt=sse", StringComparison.Ordinal));
    }

    public ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request)
    {
        if (fault.Kind == UpstreamFaultKind.ContextLengthExceeded)
        {
            return GeminiPayloads.Error(400, "INVALID_ARGUMENT", FakeGeminiUpstream.ContextWindowMessage);
        }

        var retry = Math.Ceiling(fault.RetryAfter?.TotalSeconds ?? 26).ToString(CultureInfo.InvariantCulture);
        return fault.StatusCode switch
        {
            400 => GeminiPayloads.Error(400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
            401 => GeminiPayloads.Error(
                401,
                "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project."),
            403 => GeminiPayloads.Error(403, "PERMISSION_DENIED", "The caller does not have permission"),
            404 => GeminiPayloads.Error(404, "NOT_FOUND", NotFoundMessage(ModelOf(request.Path) ?? "gemini-pro", "generateContent")),
            429 => GeminiPayloads.Error(429, "RESOURCE_EXHAUSTED", FakeGeminiUpstream.RateLimitMessage, w =>
            {
                w.WriteStartObject();
                w.WriteString("@type", "type.googleapis.com/google.rpc.Help");
                w.WriteStartArray("links");
                w.WriteStartObject();
                w.WriteString("description", "Learn more about Gemini API quotas");
                w.WriteString("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject();
                w.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
                w.WriteString("retryDelay", retry + "s");
                w.WriteEndObject();
            }),
            500 => GeminiPayloads.Error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"),
            503 => GeminiPayloads.Error(503, "UNAVAILABLE", FakeGeminiUpstream.OverloadedMessage),
            504 => GeminiPayloads.Error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
            >= 500 => GeminiPayloads.Error(fault.StatusCode, "INTERNAL", "An internal error has occurred."),
            _ => GeminiPayloads.Error(fault.StatusCode, "FAILED_PRECONDITION", string.Create(CultureInfo.InvariantCulture, $"Request failed with status {fault.StatusCode}.")),
        };
    }

    private static UpstreamResponse Generate(RecordedRequest request, string model, bool stream, bool sse)
    {
        JsonDocument document;
        try
        {
            document = request.ParseBody();
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. Unexpected token.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", "Invalid JSON payload received. Unknown name \"\": Root element must be a message.");
            }

            if (!root.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array || contents.GetArrayLength() == 0)
            {
                return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", "* GenerateContentRequest.contents: contents is not specified\n");
            }

            if (Validate(root, contents, model) is { } problem)
            {
                return Error(StatusCodes.Status400BadRequest, "INVALID_ARGUMENT", problem);
            }

            var thoughts = root.TryGetProperty("generationConfig", out var config)
                && config.TryGetProperty("thinkingConfig", out var thinking)
                && thinking.TryGetProperty("includeThoughts", out var include)
                && include.ValueKind == JsonValueKind.True;

            List<ReadOnlyMemory<byte>>? events;
            byte[]? whole;
            if (LastText(contents, FakeGeminiUpstream.BlockedPrompt) is not null)
            {
                events = stream ? GeminiPayloads.BlockedStream(model) : null;
                whole = stream ? null : GeminiPayloads.BlockedResponse(model);
            }
            else if (LastFunctionResponse(contents) is { } toolResult)
            {
                // A tool result wins over tools: the conversation is on its second leg and the model now answers in text.
                var text = FakeGeminiUpstream.ToolResultText(toolResult);
                events = stream ? GeminiPayloads.TextStream(model, [FakeGeminiUpstream.ToolResultTextPrefix, toolResult], thoughts) : null;
                whole = stream ? null : GeminiPayloads.TextResponse(model, text, thoughts);
            }
            else if (CalledFunctions(root) is { Count: > 0 } names)
            {
                events = stream ? GeminiPayloads.FunctionCallStream(model, names) : null;
                whole = stream ? null : GeminiPayloads.FunctionCallResponse(model, names);
            }
            else
            {
                events = stream ? GeminiPayloads.TextStream(model, FakeGeminiUpstream.StreamTextDeltas, thoughts) : null;
                whole = stream ? null : GeminiPayloads.TextResponse(model, FakeGeminiUpstream.CompletionText, thoughts);
            }

            if (events is null)
            {
                return Ok(whole!);
            }

            return sse
                ? new UpstreamResponse.Streamed("text/event-stream", events, ReadOnlyMemory<byte>.Empty)
                : Ok(GeminiPayloads.Array(events));
        }
    }

    /// <summary>The first check of the real API that the request fails, as Google words it; null when it passes.</summary>
    private static string? Validate(JsonElement root, JsonElement contents, string model)
    {
        if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            var t = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (tool.TryGetProperty("functionDeclarations", out var declarations) && declarations.ValueKind == JsonValueKind.Array)
                {
                    var d = 0;
                    foreach (var declaration in declarations.EnumerateArray())
                    {
                        if (declaration.TryGetProperty("parameters", out var parameters)
                            && UnknownSchemaField(parameters, $"tools[{t}].function_declarations[{d}].parameters") is { } unknown)
                        {
                            return unknown;
                        }

                        d++;
                    }
                }

                t++;
            }
        }

        var calls = 0;
        var position = 0;
        var index = -1;
        foreach (var content in contents.EnumerateArray())
        {
            index++;
            var role = content.TryGetProperty("role", out var r) ? r.GetString() : "user";
            if (role is not ("user" or "model"))
            {
                return "Please use a valid role: user, model.";
            }

            if (!content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array || parts.GetArrayLength() == 0)
            {
                return "* GenerateContentRequest.contents[" + index.ToString(CultureInfo.InvariantCulture) + "].parts: contents.parts must not be empty.\n";
            }

            var responses = 0;
            var first = true;
            foreach (var part in parts.EnumerateArray())
            {
                position++;
                if (part.TryGetProperty("functionCall", out var call))
                {
                    // Gemini 3 refuses a step whose first call comes back without the signature it was sent with.
                    if (first && model.StartsWith("gemini-3", StringComparison.Ordinal) && !part.TryGetProperty("thoughtSignature", out _))
                    {
                        return $"Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call `default_api:{call.GetProperty("name").GetString()}` , position {position}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.";
                    }

                    first = false;
                    calls++;
                }

                if (part.TryGetProperty("functionResponse", out _))
                {
                    responses++;
                }
            }

            if (role == "user" && responses > 0)
            {
                if (responses != calls)
                {
                    return "Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.";
                }
            }

            if (role == "user")
            {
                calls = 0;
            }
        }

        return null;
    }

    private static string? UnknownSchemaField(JsonElement schema, string path)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var field in schema.EnumerateObject())
        {
            if (!SchemaFields.Contains(field.Name))
            {
                return $"Invalid JSON payload received. Unknown name \"{field.Name}\" at '{path}': Cannot find field.";
            }

            if (field.Name == "properties" && field.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in field.Value.EnumerateObject())
                {
                    if (UnknownSchemaField(property.Value, $"{path}.properties[{property.Name}].value") is { } unknown)
                    {
                        return unknown;
                    }
                }
            }
            else if (field.Name == "items" && UnknownSchemaField(field.Value, path + ".items") is { } unknown)
            {
                return unknown;
            }
            else if (field.Name == "anyOf" && field.Value.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var option in field.Value.EnumerateArray())
                {
                    if (UnknownSchemaField(option, $"{path}.any_of[{i++}]") is { } inner)
                    {
                        return inner;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The functions the model calls: with <c>allowedFunctionNames</c>, the first of them; otherwise every declared function,
    /// in order, as parallel calls in one turn (the function-calling guide's "party" example calls three at once).
    /// </summary>
    private static List<string>? CalledFunctions(JsonElement root)
    {
        var names = new List<string>();
        if (root.TryGetProperty("toolConfig", out var config)
            && config.TryGetProperty("functionCallingConfig", out var calling))
        {
            if (calling.TryGetProperty("mode", out var mode) && mode.ValueEquals("NONE"))
            {
                return null;
            }

            if (calling.TryGetProperty("allowedFunctionNames", out var allowed) && allowed.ValueKind == JsonValueKind.Array && allowed.GetArrayLength() > 0)
            {
                return [allowed[0].GetString()!];
            }
        }

        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (!tool.TryGetProperty("functionDeclarations", out var declarations) || declarations.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var declaration in declarations.EnumerateArray())
            {
                names.Add(declaration.TryGetProperty("name", out var name) ? name.GetString()! : FakeGeminiUpstream.DefaultToolName);
            }
        }

        return names;
    }

    /// <summary>The answers of the last content when it is a user turn of <c>functionResponse</c> parts, each as <see cref="FakeGeminiUpstream.ToolResultText"/> reads it, joined by <c>", "</c>.</summary>
    private static string? LastFunctionResponse(JsonElement contents)
    {
        var last = contents[contents.GetArrayLength() - 1];
        if (!last.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        List<string>? answers = null;
        foreach (var part in parts.EnumerateArray())
        {
            if (part.TryGetProperty("functionResponse", out var functionResponse) && functionResponse.TryGetProperty("response", out var response))
            {
                (answers ??= []).Add(response.ValueKind == JsonValueKind.Object && response.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String
                    ? content.GetString()!
                    : response.GetRawText());
            }
        }

        return answers is null ? null : string.Join(", ", answers);
    }

    private static string? LastText(JsonElement contents, string text)
    {
        var last = contents[contents.GetArrayLength() - 1];
        if (!last.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var part in parts.EnumerateArray())
        {
            if (part.TryGetProperty("text", out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == text)
            {
                return text;
            }
        }

        return null;
    }

    private static string? ModelOf(string path)
    {
        var colon = path.LastIndexOf(':');
        return path.StartsWith(ModelsPrefix, StringComparison.Ordinal) && colon > ModelsPrefix.Length ? path[ModelsPrefix.Length..colon] : null;
    }

    private static string NotFoundMessage(string model, string method) =>
        $"models/{model} is not found for API version v1beta, or is not supported for {method}. Call ListModels to see the list of available models and their supported methods.";

    private static UpstreamResponse.Buffered Ok(byte[] body) => new(StatusCodes.Status200OK, JsonContentType, body);

    private static UpstreamResponse.Buffered Error(int status, string grpcStatus, string message) =>
        new(status, JsonContentType, GeminiPayloads.Error(status, grpcStatus, message));
}
