namespace Switchboard.Chat;

/// <summary>The finish reasons of the canonical (OpenAI) shape that other dialects are mapped to.</summary>
public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ToolCalls = "tool_calls";
    public const string ContentFilter = "content_filter";

    /// <summary>An OpenAI-dialect finish reason as one of these; the older <c>function_call</c> is a tool call.</summary>
    public static string Canonical(string reason) => reason switch
    {
        Stop => Stop,
        Length => Length,
        ToolCalls or "function_call" => ToolCalls,
        ContentFilter => ContentFilter,
        _ => reason,
    };
}
