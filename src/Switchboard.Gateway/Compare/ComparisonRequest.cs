using System.Text.Json;
using Switchboard.Chat;

namespace Switchboard.Gateway.Compare;

/// <summary>One prompt to put to several models: the models in the order asked, the messages, and the sampling settings they share.</summary>
internal sealed record ComparisonRequest
{
    private static readonly string[] Fields = ["models", "input", "messages", "system", "max_tokens", "temperature"];

    public required IReadOnlyList<string> Models { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public int? MaxTokens { get; init; }

    public double? Temperature { get; init; }

    /// <summary>The messages for a prompt and an optional system prompt before it.</summary>
    public static List<ChatMessage> MessagesFor(string input, string? system) =>
        system is { Length: > 0 } ? [ChatMessage.System(system), ChatMessage.User(input)] : [ChatMessage.User(input)];

    /// <summary>
    /// The body of <c>POST /api/compare</c>: <c>{"models": [...], "input": "..." | "messages": [...], "system"?, "max_tokens"?,
    /// "temperature"?}</c>. Bad JSON, an unknown field or a value of the wrong type is a 400 that names the field.
    /// </summary>
    public static ComparisonRequest Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw SwitchboardException.BadRequest("The body is not valid JSON: " + e.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw SwitchboardException.BadRequest("The body must be a JSON object such as {\"models\": [\"gpt-4.1\", \"claude-sonnet-4-5\"], \"input\": \"Explain CRDTs\"}.");
            List<string>? models = null;
            List<ChatMessage>? messages = null;
            string? input = null, system = null;
            int? maxTokens = null;
            double? temperature = null;
            foreach (var field in root.EnumerateObject())
            {
                if (field.Value.ValueKind == JsonValueKind.Null) continue;
                switch (field.Name)
                {
                    case "models": models = ModelsOf(field); break;
                    case "input": input = String(field); break;
                    case "messages": messages = MessagesOf(field); break;
                    case "system": system = String(field); break;
                    case "max_tokens": maxTokens = MaxTokensOf(field); break;
                    case "temperature": temperature = TemperatureOf(field); break;
                    default: throw Bad(field.Name, $"'{field.Name}' is not a field of a comparison. Fields: {string.Join(", ", Fields)}.");
                }
            }
            if (models is null) throw Bad("models", "models is required: the models to compare, such as [\"gpt-4.1\", \"claude-sonnet-4-5\"].");
            if (input is not null && messages is not null) throw Bad("input", "Send input or messages, not both.");
            if (string.IsNullOrWhiteSpace(input) && messages is null)
                throw Bad("input", "input is required (the prompt as text), or messages in the chat-completions shape.");
            if (messages is not null && system is { Length: > 0 }) messages.Insert(0, ChatMessage.System(system));
            return new ComparisonRequest
            {
                Models = models,
                Messages = messages ?? MessagesFor(input!, system),
                MaxTokens = maxTokens,
                Temperature = temperature,
            };
        }
    }

    private static SwitchboardException Bad(string field, string message) => SwitchboardException.BadRequest(message, param: field);

    private static string String(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : throw Bad(field.Name, $"{field.Name} must be a string.");

    private static List<string> ModelsOf(JsonProperty field)
    {
        if (field.Value.ValueKind != JsonValueKind.Array || field.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw Bad(field.Name, "models must be a list of model names, such as [\"gpt-4.1\", \"claude-sonnet-4-5\"].");
        return field.Value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static List<ChatMessage> MessagesOf(JsonProperty field)
    {
        const string Shape = "messages must be a non-empty list of chat messages such as [{\"role\": \"user\", \"content\": \"Hello\"}]";
        if (field.Value.ValueKind != JsonValueKind.Array || field.Value.GetArrayLength() == 0) throw Bad(field.Name, Shape + ".");
        try
        {
            var messages = field.Value.Deserialize(ChatJsonContext.Default.ListChatMessage)!;
            return messages;
        }
        catch (JsonException e)
        {
            throw Bad(field.Name, $"{Shape}: {e.Message}");
        }
    }

    private static int MaxTokensOf(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt32(out var value) && value >= 1
            ? value
            : throw Bad(field.Name, $"max_tokens must be a whole number of at least 1, not {field.Value.GetRawText()}.");

    private static double TemperatureOf(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetDouble(out var value) && value is >= 0 and <= 2
            ? value
            : throw Bad(field.Name, $"temperature must be a number from 0 to 2, not {field.Value.GetRawText()}.");
}
