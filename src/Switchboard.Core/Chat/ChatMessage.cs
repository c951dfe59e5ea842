using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>One message of a conversation: system, developer, user, assistant or tool.</summary>
public sealed record ChatMessage
{
    [JsonPropertyName("role")] public string Role { get; init; } = ChatRoles.User;

    /// <summary>Text or parts; null on an assistant message that only calls tools (written as null, as clients send it).</summary>
    [JsonPropertyName("content")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public ChatContent? Content { get; init; }

    [JsonPropertyName("name")] public string? Name { get; init; }

    [JsonPropertyName("tool_calls")] public List<ToolCall>? ToolCalls { get; init; }

    /// <summary>On a tool message: the id of the call it answers.</summary>
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; init; }

    [JsonPropertyName("refusal")] public string? Refusal { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? AdditionalProperties { get; set; }

    public static ChatMessage System(string text) => new() { Role = ChatRoles.System, Content = ChatContent.FromText(text) };

    public static ChatMessage User(string text) => new() { Role = ChatRoles.User, Content = ChatContent.FromText(text) };

    public static ChatMessage Assistant(string text) => new() { Role = ChatRoles.Assistant, Content = ChatContent.FromText(text) };
}
