using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>Reads a whole Gemini <c>GenerateContentResponse</c> as a canonical chat completion.</summary>
internal static class GeminiResponseReader
{
    /// <summary>
    /// Every candidate becomes a choice: its text parts joined, its thought parts as <c>reasoning_content</c>, its
    /// <c>functionCall</c> parts as tool calls with their arguments serialized. A prompt Gemini blocked
    /// (<c>promptFeedback.blockReason</c>, no candidates) is one empty choice finished by the content filter.
    /// Throws <see cref="JsonException"/> when the body is not a response.
    /// </summary>
    public static ChatResponse Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("the response is not a JSON object");
        if (root.TryGetProperty("error", out _)) throw new JsonException("the response is an error");

        var responseId = String(root, "responseId");
        var choices = new List<ChatChoice>();
        if (root.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                if (candidate.ValueKind != JsonValueKind.Object) throw new JsonException("a candidate is not an object");
                choices.Add(ReadCandidate(candidate, choices.Count, responseId));
            }
        }
        if (choices.Count == 0 && root.TryGetProperty("promptFeedback", out var feedback) && String(feedback, "blockReason") is { } blockReason)
        {
            var why = String(feedback, "blockReasonMessage");
            choices.Add(new ChatChoice
            {
                Message = new ChatMessage
                {
                    Role = ChatRoles.Assistant,
                    Content = ChatContent.FromText(""),
                    Refusal = $"Gemini blocked the prompt ({blockReason})" + (why is null ? "." : ": " + why),
                },
                FinishReason = FinishReasons.ContentFilter,
            });
        }

        return new ChatResponse
        {
            Id = responseId ?? "",
            Created = String(root, "createTime") is { } created && DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time.ToUnixTimeSeconds()
                : 0,
            Model = String(root, "modelVersion") ?? "",
            Choices = choices,
            Usage = root.TryGetProperty("usageMetadata", out var usage) && usage.ValueKind == JsonValueKind.Object ? ReadUsage(usage) : null,
        };
    }

    /// <summary>The id given to the <paramref name="index"/>th function call of a response that named none: unique across the turns of a conversation, as clients expect.</summary>
    public static string ToolCallId(string? responseId, int index) =>
        string.IsNullOrEmpty(responseId) ? "call_" + index.ToString(CultureInfo.InvariantCulture) : $"call_{responseId}_{index.ToString(CultureInfo.InvariantCulture)}";

    private static ChatChoice ReadCandidate(JsonElement candidate, int position, string? responseId)
    {
        var text = new StringBuilder();
        StringBuilder? thoughts = null;
        List<ToolCall>? calls = null;
        if (candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
            && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object) throw new JsonException("a part is not an object");
                if (part.TryGetProperty("functionCall", out var call) && call.ValueKind == JsonValueKind.Object)
                {
                    calls ??= [];
                    calls.Add(new ToolCall
                    {
                        Id = String(call, "id") ?? ToolCallId(responseId, calls.Count),
                        Function = new FunctionCall { Name = String(call, "name") ?? "", Arguments = Compact(call.TryGetProperty("args", out var args) ? args : default) },
                    });
                }
                else if (String(part, "text") is { } partText)
                {
                    if (part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True) (thoughts ??= new StringBuilder()).Append(partText);
                    else text.Append(partText);
                }
            }
        }

        var message = new ChatMessage
        {
            Role = ChatRoles.Assistant,
            // As OpenAI writes it: no content beside tool calls unless the model also said something.
            Content = text.Length == 0 && calls is not null ? null : ChatContent.FromText(text.ToString()),
            ToolCalls = calls,
        };
        if (thoughts is not null) message.AdditionalProperties = new() { ["reasoning_content"] = StringElement(thoughts.ToString()) };

        var reason = String(candidate, "finishReason");
        return new ChatChoice
        {
            Index = candidate.TryGetProperty("index", out var index) && index.ValueKind == JsonValueKind.Number ? index.GetInt32() : position,
            Message = message,
            FinishReason = reason is null ? null : GeminiFinishReasons.Canonical(reason, calls is not null),
        };
    }

    private static ChatUsage ReadUsage(JsonElement usage)
    {
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(usage));
        reader.Read();
        var tokens = GeminiUsageReader.Read(ref reader);
        return new ChatUsage
        {
            PromptTokens = tokens.Input,
            CompletionTokens = tokens.Output,
            TotalTokens = tokens.Total,
            PromptTokensDetails = new PromptTokensDetails { CachedTokens = tokens.CachedInput },
            CompletionTokensDetails = new CompletionTokensDetails { ReasoningTokens = tokens.Reasoning },
        };
    }

    /// <summary>Arguments as compact JSON text: a whole response is pretty-printed, and clients expect arguments on one line.</summary>
    private static string Compact(JsonElement args)
    {
        if (args.ValueKind != JsonValueKind.Object) return "{}";
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            args.WriteTo(json);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement StringElement(string value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer)) json.WriteStringValue(value);
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
