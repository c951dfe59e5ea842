using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Testing;

/// <summary>
/// Bedrock's Converse API: <c>POST /model/{modelId}/converse</c> and <c>/converse-stream</c>, each request's Signature
/// Version 4 checked against the fake's credentials, and the request checked for the rules Bedrock enforces (roles
/// that alternate and start with the user, no blank text, a <c>toolConfig</c> wherever tool blocks appear, inline images).
/// </summary>
internal sealed class BedrockDialect : IUpstreamDialect
{
    private const string JsonContentType = "application/json";

    // Members of ConverseRequest besides the path's modelId, per the API reference.
    private static readonly HashSet<string> RequestMembers =
    [
        "messages", "system", "inferenceConfig", "toolConfig", "guardrailConfig", "additionalModelRequestFields", "promptVariables",
        "additionalModelResponseFieldPaths", "requestMetadata", "performanceConfig", "serviceTier", "outputConfig",
    ];

    private static readonly HashSet<string> ImageFormats = ["png", "jpeg", "gif", "webp"];

    private readonly ConcurrentQueue<(string Type, string Message, int EventsBefore)> _streamExceptions = new();

    public ReadOnlyMemory<byte> InvalidJsonBody => BedrockPayloads.InvalidJson();

    /// <summary>Makes the next streamed answer stop after <paramref name="eventsBefore"/> events with an exception message.</summary>
    public void EnqueueStreamException(string type, string message, int eventsBefore) => _streamExceptions.Enqueue((type, message, eventsBefore));

    public ReadOnlyMemory<byte> InvalidStreamChunk => BedrockPayloads.InvalidEvent();

    public UpstreamResponse Respond(RecordedRequest request)
    {
        if (request.Method != "POST" || !TryParsePath(request.Path, out var stream))
        {
            return new UpstreamResponse.Buffered(StatusCodes.Status404NotFound, JsonContentType, BedrockPayloads.UnknownOperation(), ErrorType("UnknownOperationException"));
        }

        if (BedrockSignatureCheck.Verify(request, FakeBedrockUpstream.AccessKeyId, FakeBedrockUpstream.SecretAccessKey, FakeBedrockUpstream.SessionToken, FakeBedrockUpstream.Region, FakeBedrockUpstream.Service)
            is { } refused)
        {
            return Error(StatusCodes.Status403Forbidden, refused.Type, refused.Message);
        }

        JsonDocument document;
        try
        {
            document = request.ParseBody();
        }
        catch (JsonException)
        {
            return Error(StatusCodes.Status400BadRequest, "ValidationException", "Malformed input request, please reformat your input and try again.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (Invalid(root) is { } problem)
            {
                return Error(StatusCodes.Status400BadRequest, "ValidationException", problem);
            }

            var messages = root.GetProperty("messages");
            if (BedrockPayloads.LastToolResults(messages) is { } results)
            {
                var text = FakeBedrockUpstream.ToolResultText(results);
                return stream
                    ? Stream(BedrockPayloads.TextStream([FakeBedrockUpstream.ToolResultTextPrefix, results]))
                    : Ok(BedrockPayloads.TextResponse(text));
            }

            if (ToolsToCall(root) is { Count: > 0 } tools)
            {
                return stream ? Stream(BedrockPayloads.ToolUseStream(tools)) : Ok(BedrockPayloads.ToolUseResponse(tools));
            }

            return stream
                ? Stream(BedrockPayloads.TextStream(FakeBedrockUpstream.StreamTextDeltas))
                : Ok(BedrockPayloads.TextResponse(FakeBedrockUpstream.CompletionText));
        }
    }

    public ReadOnlyMemory<byte> ErrorBody(UpstreamFault fault, RecordedRequest request) => BedrockPayloads.Error(Describe(fault).Message);

    public IReadOnlyList<KeyValuePair<string, string>> ErrorHeaders(UpstreamFault fault, RecordedRequest request) => ErrorType(Describe(fault).Type);

    /// <summary>The Bedrock error a status stands for, with the message Bedrock sends for it.</summary>
    private static (string Type, string Message) Describe(UpstreamFault fault) => fault.Kind == UpstreamFaultKind.ContextLengthExceeded
        ? ("ValidationException", "Input is too long for requested model.")
        : fault.StatusCode switch
        {
            400 => ("ValidationException", "1 validation error detected: Value at 'messages.2.member.content.1.member.toolUse.name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_-]+"),
            401 => ("UnrecognizedClientException", "The security token included in the request is invalid."),
            403 => ("AccessDeniedException", "You don't have access to the model with the specified model ID."),
            404 => ("ResourceNotFoundException", "Model not found: the specified model ID does not exist in this Region."),
            408 => ("ModelTimeoutException", "Model has timed out in processing the request. Try your request again."),
            424 => ("ModelErrorException", "The model returned the following errors: the model could not process the request."),
            429 => ("ThrottlingException", "Too many requests, please wait before trying again."),
            503 => ("ServiceUnavailableException", "The service isn't currently available. Try again later."),
            >= 500 => ("InternalServerException", "The system encountered an unexpected error during processing. Try your request again."),
            _ => ("ValidationException", $"The request failed with status {fault.StatusCode}."),
        };

    /// <summary>The <c>x-amzn-ErrorType</c> header, written as Bedrock writes it: the type, a colon and the service's namespace.</summary>
    private static KeyValuePair<string, string>[] ErrorType(string type) => [new("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")];

    private static bool TryParsePath(string path, out bool stream)
    {
        stream = path.EndsWith("/converse-stream", StringComparison.Ordinal);
        var suffix = stream ? "/converse-stream" : "/converse";
        return path.StartsWith("/model/", StringComparison.Ordinal)
            && path.EndsWith(suffix, StringComparison.Ordinal)
            && path.Length > "/model/".Length + suffix.Length;
    }

    /// <summary>What Bedrock would refuse about the request, in its words where known, or null.</summary>
    private static string? Invalid(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "Malformed input request, please reformat your input and try again.";
        }

        foreach (var member in root.EnumerateObject())
        {
            if (!RequestMembers.Contains(member.Name))
            {
                return $"Malformed input request: extraneous key [{member.Name}] is not permitted, please reformat your input and try again.";
            }
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
        }

        var hasToolBlocks = false;
        string? previous = null;
        var m = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
            if (m == 0 && role != "user")
            {
                return "A conversation must start with a user message. Try again with a conversation that starts with a user message.";
            }

            if (role == previous)
            {
                return "A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.";
            }

            previous = role;
            if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0)
            {
                return $"The content field in the Message object at messages.{m} is empty. Add a ContentBlock object to the content field and try again.";
            }

            var c = 0;
            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("text", out var text) && string.IsNullOrWhiteSpace(text.GetString()))
                {
                    return $"The text field in the ContentBlock object at messages.{m}.content.{c} is blank. Add text to the text field, and try again.";
                }

                if (block.TryGetProperty("image", out var image) && InvalidImage(image) is { } imageProblem)
                {
                    return imageProblem;
                }

                hasToolBlocks |= block.TryGetProperty("toolUse", out _) || block.TryGetProperty("toolResult", out _);
                c++;
            }

            m++;
        }

        if (hasToolBlocks && !root.TryGetProperty("toolConfig", out _))
        {
            return "The toolConfig field must be defined when using toolUse and toolResult content blocks.";
        }

        return null;
    }

    private static string? InvalidImage(JsonElement image)
    {
        if (!image.TryGetProperty("format", out var format) || !ImageFormats.Contains(format.GetString() ?? ""))
        {
            return "1 validation error detected: Value at 'messages.1.member.content.1.member.image.format' failed to satisfy constraint: Member must satisfy enum value set: [gif, jpeg, png, webp]";
        }

        if (!image.TryGetProperty("source", out var source) || !source.TryGetProperty("bytes", out var bytes) || bytes.ValueKind != JsonValueKind.String)
        {
            return "The image source must hold the image's bytes.";
        }

        var buffer = new byte[bytes.GetString()!.Length];
        return Convert.TryFromBase64String(bytes.GetString()!, buffer, out _) ? null : "Unable to parse the image bytes: they are not base64.";
    }

    /// <summary>The tool named by <c>toolChoice.tool</c>, else every tool of <c>toolConfig.tools</c>; empty without tools.</summary>
    private static List<string> ToolsToCall(JsonElement root)
    {
        var names = new List<string>();
        if (!root.TryGetProperty("toolConfig", out var config) || !config.TryGetProperty("tools", out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return names;
        }

        if (config.TryGetProperty("toolChoice", out var choice) && choice.TryGetProperty("tool", out var named) && named.TryGetProperty("name", out var name))
        {
            names.Add(name.GetString()!);
            return names;
        }

        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.TryGetProperty("toolSpec", out var spec) && spec.TryGetProperty("name", out var toolName))
            {
                names.Add(toolName.GetString()!);
            }
        }

        return names;
    }

    private static UpstreamResponse.Buffered Ok(byte[] body) => new(StatusCodes.Status200OK, JsonContentType, body);

    /// <summary>A streamed answer, or its first events and then an exception message when one is queued.</summary>
    private UpstreamResponse.Streamed Stream(List<ReadOnlyMemory<byte>> frames)
    {
        if (_streamExceptions.TryDequeue(out var exception))
        {
            frames = [.. frames.Take(exception.EventsBefore), BedrockPayloads.Exception(exception.Type, exception.Message)];
        }

        return new UpstreamResponse.Streamed(BedrockEventStreamEncoder.ContentType, frames, ReadOnlyMemory<byte>.Empty);
    }

    private static UpstreamResponse.Buffered Error(int status, string type, string message) =>
        new(status, JsonContentType, BedrockPayloads.Error(message), ErrorType(type));
}
