using System.Globalization;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Ollama;

/// <summary>
/// Reads a whole <c>/api/chat</c> answer (<c>"stream": false</c>) as a canonical response:
/// <c>{model, created_at, message: {role, content, thinking?, tool_calls?}, done, done_reason, prompt_eval_count, eval_count, ...}</c>.
/// </summary>
internal static class OllamaResponseReader
{
    public static ChatResponse Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("the answer is not a JSON object");
        if (root.TryGetProperty("error", out var error)) throw new JsonException("the answer is an error: " + error);
        if (!root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.Object)
            throw new JsonException("the answer has no message");

        var calls = new List<ToolCall>();
        if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray()) calls.Add(ReadToolCall(call));
        }
        var content = String(message, "content") ?? "";
        var answer = new ChatMessage
        {
            Role = ChatRoles.Assistant,
            Content = content.Length > 0 || calls.Count == 0 ? ChatContent.FromText(content) : null,
            ToolCalls = calls.Count > 0 ? calls : null,
        };
        if (String(message, "thinking") is { Length: > 0 } thinking)
            answer.AdditionalProperties = new() { ["reasoning_content"] = JsonSerializer.SerializeToElement(thinking, ChatJsonContext.Default.String) };

        var input = Int(root, "prompt_eval_count");
        var output = Int(root, "eval_count");
        return new ChatResponse
        {
            Id = OllamaConventions.NewResponseId(),
            Created = String(root, "created_at") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUnixTimeSeconds()
                : 0,
            Model = String(root, "model") ?? "",
            Choices =
            [
                new ChatChoice
                {
                    Index = 0,
                    Message = answer,
                    FinishReason = OllamaConventions.FinishReason(String(root, "done_reason") == "length", calls.Count > 0),
                },
            ],
            Usage = new ChatUsage { PromptTokens = input, CompletionTokens = output, TotalTokens = input + output },
        };
    }

    private static ToolCall ReadToolCall(JsonElement call)
    {
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var arguments = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var a)
            ? a.ValueKind == JsonValueKind.String ? a.GetString() : a.GetRawText()
            : null;
        return new ToolCall
        {
            Id = String(call, "id") is { Length: > 0 } id ? id : OllamaConventions.NewToolCallId(),
            Function = new FunctionCall
            {
                Name = function.ValueKind == JsonValueKind.Object ? String(function, "name") : null,
                Arguments = arguments ?? "{}",
            },
        };
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : 0;
}
