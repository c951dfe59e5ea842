namespace Switchboard.Chat;

/// <summary>The finish reasons of the canonical (OpenAI) shape that other dialects are mapped to.</summary>
public static class FinishReasons
{
    public const string Stop = "stop";
    public const string Length = "length";
    public const string ToolCalls = "tool_calls";
    public const string ContentFilter = "content_filter";
}
