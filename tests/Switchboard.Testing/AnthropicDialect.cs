using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using static Switchboard.Testing.FakeAnthropicUpstream;

namespace Switchboard.Testing;

/// <summary>Anthropic's Messages API: <c>POST /v1/messages</c> and <c>POST /v1/messages/count_tokens</c>.</summary>
internal sealed class AnthropicDialect : IUpstreamDialect
{
    // Used in error messages when the request did not name a model.
    private const string FallbackModel = "claude-sonnet-4-5";

    private readonly ConcurrentQueue<bool> _streamErrors = new();

    public ReadOnlyMemory<byte> InvalidJsonBody => AnthropicPayloads.InvalidJson;

    public ReadOnlyMemory<byte> InvalidStreamChunk => AnthropicPayloads.InvalidEvent;

    /// <summary>Makes the next streamed answer fail part way with an <c>error</c> event.</summary>
    public void FailNextStream() => _streamErrors.Enqueue(true);

    public UpstreamResponse Respond(RecordedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/v1/messages") => Messages(request),
        ("POST", "/v1/messages/count_tokens") => new UpstreamResponse.Buffered(StatusCodes.Status200OK, AnthropicPayloads.JsonContentType, AnthropicPayloads.CountTokens(InputTokens)),
        // Anthropic's own answer to a path it does not serve.
        _ => Error(StatusCodes.Status404NotFound, "not_found_error", "Not Found"),
    };

    public ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request)
    {
        if (fault.Kind == UpstreamFaultKind.ContextLengthExceeded)
            return AnthropicPayloads.Error("invalid_request_error", ContextWindowMessage);

        var model = ModelOf(request) ?? FallbackModel;
        return fault.StatusCode switch
        {
            400 => AnthropicPayloads.Error("invalid_request_error", "messages: at least one message is required"),
            401 => AnthropicPayloads.Error("authentication_error", "invalid x-api-key"),
            402 => AnthropicPayloads.Error("billing_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."),
            403 => AnthropicPayloads.Error("permission_error", "Your API key does not have permission to use the specified resource."),
            404 => AnthropicPayloads.Error("not_found_error", $"model: {model}"),
            413 => AnthropicPayloads.Error("request_too_large", "Request exceeds the maximum allowed number of bytes."),
            429 => AnthropicPayloads.Error("rate_limit_error", RateLimitMessage),
            504 => AnthropicPayloads.Error("timeout_error", "Request timed out."),
            529 => AnthropicPayloads.Error("overloaded_error", OverloadedMessage),
            >= 500 => AnthropicPayloads.Error("api_error", "Internal server error"),
            _ => AnthropicPayloads.Error("invalid_request_error", string.Create(CultureInfo.InvariantCulture, $"Request failed with status {fault.StatusCode}.")),
        };
    }

    private UpstreamResponse Messages(RecordedRequest request)
    {
        JsonDocument document;
        try
        {
            document = request.ParseBody();
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "There was an issue with the formatting or content of your request. The request body is not valid JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "The request body must be a JSON object.");
            if (!root.TryGetProperty("model", out var modelElement) || modelElement.ValueKind != JsonValueKind.String)
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "model: Field required");
            if (!root.TryGetProperty("max_tokens", out var maxTokens) || maxTokens.ValueKind != JsonValueKind.Number)
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "max_tokens: Field required");
            if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
                return Error(StatusCodes.Status400BadRequest, "invalid_request_error", "messages: Field required");

            var model = modelElement.GetString()!;
            var stream = root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind == JsonValueKind.True;
            var thinking = root.TryGetProperty("thinking", out var thinkingElement) && thinkingElement.ValueKind == JsonValueKind.Object
                && thinkingElement.TryGetProperty("type", out var thinkingType) && thinkingType.ValueEquals("enabled");

            if (stream && _streamErrors.TryDequeue(out _))
                return new UpstreamResponse.Streamed(ServerSentEvents.ContentType, AnthropicPayloads.FailingStream(model), ReadOnlyMemory<byte>.Empty);

            // A tool result wins over tools: the conversation is on its second leg and the model now answers in text.
            if (ToolResults(messages) is { } results)
            {
                var answer = ToolResultText(results);
                return stream
                    ? Stream(AnthropicPayloads.Stream(StreamMessageId, model, thinking, [ToolResultTextPrefix, string.Join("; ", results)], [], "end_turn"))
                    : Ok(AnthropicPayloads.Message(MessageId, model, thinking, answer, [], "end_turn"));
            }

            if (Calls(root) is { Count: > 0 } calls)
            {
                return stream
                    ? Stream(AnthropicPayloads.Stream(StreamToolMessageId, model, thinking, ToolPreambleDeltas,
                        [.. calls.Select((c, i) => (c.Id, c.Name, (IReadOnlyList<string>)(i == 0 ? ToolInputDeltas : SecondToolInputDeltas)))], "tool_use"))
                    : Ok(AnthropicPayloads.Message(ToolMessageId, model, thinking, ToolPreamble,
                        [.. calls.Select((c, i) => (c.Id, c.Name, i == 0 ? ToolInput : SecondToolInput))], "tool_use"));
            }

            return stream
                ? Stream(AnthropicPayloads.Stream(StreamMessageId, model, thinking, StreamTextDeltas, [], "end_turn"))
                : Ok(AnthropicPayloads.Message(MessageId, model, thinking, CompletionText, [], "end_turn"));
        }
    }

    /// <summary>The text of every <c>tool_result</c> block in the last user turn, or null when it has none.</summary>
    private static List<string>? ToolResults(JsonElement messages)
    {
        var last = messages[messages.GetArrayLength() - 1];
        if (last.ValueKind != JsonValueKind.Object || !last.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            return null;

        List<string>? results = null;
        foreach (var block in content.EnumerateArray())
        {
            if (block.ValueKind != JsonValueKind.Object || !block.TryGetProperty("type", out var type) || !type.ValueEquals("tool_result"))
                continue;

            var text = new StringBuilder();
            if (block.TryGetProperty("content", out var result))
            {
                if (result.ValueKind == JsonValueKind.String)
                {
                    text.Append(result.GetString());
                }
                else if (result.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in result.EnumerateArray())
                    {
                        if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var partText) && partText.ValueKind == JsonValueKind.String)
                            text.Append(partText.GetString());
                    }
                }
            }

            (results ??= []).Add(text.ToString());
        }

        return results;
    }

    /// <summary>
    /// The calls to make: the tool <c>tool_choice</c> names; otherwise the first tool, and the second as well
    /// (parallel tool use) unless <c>disable_parallel_tool_use</c> is set. None when the choice is <c>none</c>.
    /// </summary>
    private static List<(string Id, string Name)>? Calls(JsonElement root)
    {
        if (!root.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array || tools.GetArrayLength() == 0)
            return null;

        var serial = false;
        if (root.TryGetProperty("tool_choice", out var choice) && choice.ValueKind == JsonValueKind.Object)
        {
            var type = choice.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type == "none")
                return null;
            if (type == "tool" && choice.TryGetProperty("name", out var named) && named.ValueKind == JsonValueKind.String)
                return [(ToolUseId, named.GetString()!)];
            serial = choice.TryGetProperty("disable_parallel_tool_use", out var disable) && disable.ValueKind == JsonValueKind.True;
        }

        var names = tools.EnumerateArray()
            .Select(tool => tool.ValueKind == JsonValueKind.Object && tool.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()!
                : DefaultToolName)
            .Take(serial ? 1 : 2)
            .ToList();
        return [.. names.Select((name, i) => (i == 0 ? ToolUseId : SecondToolUseId, name))];
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

    private static UpstreamResponse.Buffered Ok(byte[] body) => new(StatusCodes.Status200OK, AnthropicPayloads.JsonContentType, body);

    private static UpstreamResponse.Streamed Stream(List<ReadOnlyMemory<byte>> events) => new(ServerSentEvents.ContentType, events, AnthropicPayloads.MessageStop);

    private static UpstreamResponse.Buffered Error(int status, string type, string message) =>
        new(status, AnthropicPayloads.JsonContentType, AnthropicPayloads.Error(type, message));
}
