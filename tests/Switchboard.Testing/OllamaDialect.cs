using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Testing;

/// <summary>Ollama's native chat API: <c>POST /api/chat</c>, NDJSON streams, <c>{"error": "text"}</c> errors.</summary>
internal sealed class OllamaDialect : IUpstreamDialect
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public ReadOnlyMemory<byte> InvalidJsonBody => OllamaPayloads.InvalidJson;

    public ReadOnlyMemory<byte> InvalidStreamChunk => OllamaPayloads.InvalidLine;

    public UpstreamResponse Respond(RecordedRequest request) => (request.Method, request.Path) switch
    {
        ("POST", "/api/chat") => Chat(request),
        // Ollama's router answers an unknown path with a plain 404.
        _ => new UpstreamResponse.Buffered(StatusCodes.Status404NotFound, "text/plain", "404 page not found"u8.ToArray()),
    };

    public ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request)
    {
        if (fault.Kind == UpstreamFaultKind.ContextLengthExceeded) return OllamaPayloads.Error("the input length exceeds the context length");
        var model = ModelOf(request) ?? FakeOllamaUpstream.Models[0];
        return OllamaPayloads.Error(fault.StatusCode switch
        {
            400 => "invalid message format",
            401 => "unauthorized",
            403 => "forbidden",
            404 => $"model '{model}' not found",
            429 => "too many requests",
            503 => "server busy, please try again.  maximum pending requests exceeded",
            >= 500 => "an error was encountered while running the model",
            _ => $"request failed with status {fault.StatusCode}",
        });
    }

    private static UpstreamResponse Chat(RecordedRequest request)
    {
        JsonDocument document;
        try
        {
            document = request.ParseBody();
        }
        catch (JsonException e)
        {
            return Error(StatusCodes.Status400BadRequest, e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Error(StatusCodes.Status400BadRequest, "invalid request");
            if (!root.TryGetProperty("model", out var modelElement) || modelElement.GetString() is not { Length: > 0 } model)
                return Error(StatusCodes.Status400BadRequest, "model is required");
            if (!FakeOllamaUpstream.Models.Contains(model)) return Error(StatusCodes.Status404NotFound, $"model '{model}' not found");

            // Ollama streams unless told not to.
            var stream = !root.TryGetProperty("stream", out var streamElement) || streamElement.ValueKind != JsonValueKind.False;
            var thinks = root.TryGetProperty("think", out var think) && think.ValueKind is JsonValueKind.True or JsonValueKind.String;
            var messages = root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;

            if (LastToolResult(messages) is { } toolResult)
            {
                return stream
                    ? Stream(OllamaPayloads.TextStream(model, [FakeOllamaUpstream.ToolResultTextPrefix, toolResult]))
                    : Ok(OllamaPayloads.TextAnswer(model, FakeOllamaUpstream.ToolResultTextPrefix + toolResult));
            }
            if (FirstToolName(root) is { } toolName)
            {
                return stream ? Stream(OllamaPayloads.ToolCallStream(model, toolName)) : Ok(OllamaPayloads.ToolCallAnswer(model, toolName));
            }
            if (ImageCount(messages) is > 0 and var images)
            {
                var seen = FakeOllamaUpstream.ImageText(images);
                return stream ? Stream(OllamaPayloads.TextStream(model, [seen])) : Ok(OllamaPayloads.TextAnswer(model, seen));
            }
            return stream
                ? Stream(OllamaPayloads.TextStream(model, FakeOllamaUpstream.StreamTextDeltas, thinks ? FakeOllamaUpstream.ThinkingDeltas : null))
                : Ok(OllamaPayloads.TextAnswer(model, FakeOllamaUpstream.CompletionText, thinks ? FakeOllamaUpstream.Thinking : null));
        }
    }

    private static string? LastToolResult(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0) return null;
        var last = messages[messages.GetArrayLength() - 1];
        return last.TryGetProperty("role", out var role) && role.ValueEquals("tool") && last.TryGetProperty("content", out var content)
            ? content.GetString()
            : null;
    }

    private static string? FirstToolName(JsonElement root) =>
        root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0
        && tools[0].TryGetProperty("function", out var function) && function.TryGetProperty("name", out var name)
            ? name.GetString()
            : null;

    private static int ImageCount(JsonElement messages)
    {
        if (messages.ValueKind != JsonValueKind.Array) return 0;
        var count = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.TryGetProperty("images", out var images) && images.ValueKind == JsonValueKind.Array) count += images.GetArrayLength();
        }
        return count;
    }

    private static string? ModelOf(RecordedRequest request)
    {
        try
        {
            using var document = request.ParseBody();
            return document.RootElement.TryGetProperty("model", out var model) ? model.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static UpstreamResponse.Buffered Ok(byte[] body) => new(StatusCodes.Status200OK, JsonContentType, body);

    private static UpstreamResponse.Streamed Stream(List<ReadOnlyMemory<byte>> lines) => new(OllamaPayloads.ContentType, lines, ReadOnlyMemory<byte>.Empty);

    private static UpstreamResponse.Buffered Error(int status, string message) => new(status, JsonContentType, OllamaPayloads.Error(message));
}
