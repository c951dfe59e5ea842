using Switchboard.Chat;

namespace Switchboard.Providers.Anthropic;

/// <summary>Anthropic's <c>stop_reason</c> values and the canonical finish reasons, both ways.</summary>
internal static class AnthropicStopReasons
{
    public const string EndTurn = "end_turn";
    public const string MaxTokens = "max_tokens";
    public const string StopSequence = "stop_sequence";
    public const string ToolUse = "tool_use";
    public const string PauseTurn = "pause_turn";
    public const string Refusal = "refusal";
    public const string ContextWindowExceeded = "model_context_window_exceeded";

    /// <summary>
    /// The canonical finish reason. <c>pause_turn</c> (a server tool paused a long turn) ends the answer as far as
    /// a chat client can tell; running out of context window is running out of room, as <c>length</c> says.
    /// </summary>
    public static string ToCanonical(ReadOnlySpan<byte> reason)
    {
        if (reason.SequenceEqual("tool_use"u8)) return FinishReasons.ToolCalls;
        if (reason.SequenceEqual("max_tokens"u8) || reason.SequenceEqual("model_context_window_exceeded"u8)) return FinishReasons.Length;
        if (reason.SequenceEqual("refusal"u8)) return FinishReasons.ContentFilter;
        return FinishReasons.Stop;
    }

    /// <summary>
    /// Anthropic's stop reason for a canonical finish reason. Some OpenAI-compatible servers say <c>stop</c> after
    /// calling tools; an Anthropic client must see <c>tool_use</c> to run them.
    /// </summary>
    public static string FromCanonical(string? reason, bool calledTools) => reason switch
    {
        FinishReasons.Length => MaxTokens,
        FinishReasons.ContentFilter => Refusal,
        FinishReasons.ToolCalls or "function_call" => ToolUse,
        _ => calledTools ? ToolUse : EndTurn,
    };
}
