using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Testing;

/// <summary>OpenAI's Chat Completions API: <c>POST /v1/chat/completions</c> and <c>GET /v1/models</c>.</summary>
internal sealed class OpenAIDialect : IUpstreamDialect
{
    private const string JsonContentType = "application/json";

    // Used in error messages when the request did not name a model.
    private const string FallbackModel = "gpt-4o-mini";

    public ReadOnlyMemory<byte> InvalidJsonBody => OpenAIPayloads.InvalidJson;

    public ReadOnlyMemory<byte> InvalidStreamChunk => OpenAIPayloads.InvalidChunk;

    public UpstreamResponse Respond(RecordedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/v1/chat/completions") => ChatCompletion(request),
        ("GET", "/v1/models") => new UpstreamResponse.Buffered(StatusCodes.Status200OK, JsonContentType, OpenAIPayloads.ModelList()),
        // OpenAI's own answer to a path it does not serve.
        _ => Error(StatusCodes.Status404NotFound, $"Invalid URL ({request.Method} {request.Path})", "invalid_request_error", null, null),
    };

    public ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request)
    {
        if (fault.Kind == UpstreamFaultKind.ContextLengthExceeded)
        {
            return OpenAIPayloads.Error(
                "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.",
                "invalid_request_error",
                "messages",
                "context_length_exceeded");
        }

        var model = ModelOf(request) ?? FallbackModel;
        return fault.StatusCode switch
        {
            400 => OpenAIPayloads.Error(
                "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
                "invalid_request_error",
                "messages",
                "empty_array"),
            401 => OpenAIPayloads.Error(
                "Incorrect API key provided: sk-abc***xyz. You can find your API key at https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                null,
                "invalid_api_key"),
            403 => OpenAIPayloads.Error("Country, region, or territory not supported", "request_forbidden", null, "unsupported_country_region_territory"),
            404 => OpenAIPayloads.Error($"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", null, "model_not_found"),
            429 => OpenAIPayloads.Error(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Rate limit reached for {model} in organization org-123 on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in {Math.Ceiling(fault.RetryAfter?.TotalSeconds ?? 20)}s. Visit https://platform.openai.com/account/rate-limits to learn more."),
                "requests",
                null,
                "rate_limit_exceeded"),
            503 => OpenAIPayloads.Error(
                "That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com if the error persists.",
                "server_error",
                null,
                null),
            >= 500 => OpenAIPayloads.Error("The server had an error while processing your request. Sorry about that!", "server_error", null, null),
            _ => OpenAIPayloads.Error(
                string.Create(CultureInfo.InvariantCulture, $"Request failed with status {fault.StatusCode}."),
                "invalid_request_error",
                null,
                null),
        };
    }

    private static UpstreamResponse ChatCompletion(RecordedRequest request)
    {
        JsonDocument document;
        try
        {
            document = request.ParseBody();
        }
        catch (JsonException)
        {
            return UnparsableBody();
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return UnparsableBody();
            }

            if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String)
            {
                return Error(StatusCodes.Status400BadRequest, "you must provide a model parameter", "invalid_request_error", null, null);
            }

            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            {
                return Error(StatusCodes.Status400BadRequest, "Missing required parameter: 'messages'.", "invalid_request_error", "messages", "missing_required_parameter");
            }

            var model = modelElement.GetString()!;
            var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
            var includeUsage = stream
                && root.TryGetProperty("stream_options", out var options)
                && options.ValueKind == JsonValueKind.Object
                && options.TryGetProperty("include_usage", out var includeUsageElement)
                && includeUsageElement.ValueKind == JsonValueKind.True;

            // A tool result wins over tools: the conversation is on its second leg and the model now answers in text.
            if (LastToolResult(messages) is { } toolResult)
            {
                return stream
                    ? Stream(OpenAIPayloads.TextStream(model, [FakeOpenAIUpstream.ToolResultTextPrefix, toolResult], includeUsage))
                    : Ok(OpenAIPayloads.TextCompletion(model, FakeOpenAIUpstream.ToolResultText(toolResult)));
            }

            if (FirstToolName(root) is { } toolName)
            {
                return stream
                    ? Stream(OpenAIPayloads.ToolCallStream(model, toolName, includeUsage))
                    : Ok(OpenAIPayloads.ToolCallCompletion(model, toolName));
            }

            return stream
                ? Stream(OpenAIPayloads.TextStream(model, FakeOpenAIUpstream.StreamTextDeltas, includeUsage))
                : Ok(OpenAIPayloads.TextCompletion(model, FakeOpenAIUpstream.CompletionText));
        }
    }

    private static string? LastToolResult(JsonElement messages)
    {
        var count = messages.GetArrayLength();
        if (count == 0)
        {
            return null;
        }

        var last = messages[count - 1];
        if (last.ValueKind != JsonValueKind.Object
            || !last.TryGetProperty("role", out var role)
            || !role.ValueEquals("tool")
            || !last.TryGetProperty("content", out var content))
        {
            return null;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        // Content may also be an array of text parts.
        var text = new StringBuilder();
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                {
                    text.Append(partText.GetString());
                }
            }
        }

        return text.ToString();
    }

    private static string? FirstToolName(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
        {
            return null;
        }

        var first = tools[0];
        return first.ValueKind == JsonValueKind.Object
            && first.TryGetProperty("function", out var function)
            && function.ValueKind == JsonValueKind.Object
            && function.TryGetProperty("name", out var name)
            && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : FakeOpenAIUpstream.DefaultToolName;
    }

    private static string? ModelOf(RecordedRequest request)
    {
        try
        {
            using var document = request.ParseBody();
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("model", out var model)
                && model.ValueKind == JsonValueKind.String
                    ? model.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static UpstreamResponse.Buffered UnparsableBody() => Error(
        StatusCodes.Status400BadRequest,
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)",
        "invalid_request_error",
        null,
        null);

    private static UpstreamResponse.Buffered Ok(byte[] body) => new(StatusCodes.Status200OK, JsonContentType, body);

    private static UpstreamResponse.Streamed Stream(List<ReadOnlyMemory<byte>> chunks) => new(ServerSentEvents.ContentType, chunks, OpenAIPayloads.Done);

    private static UpstreamResponse.Buffered Error(int status, string message, string type, string? param, string? code) =>
        new(status, JsonContentType, OpenAIPayloads.Error(message, type, param, code));
}
