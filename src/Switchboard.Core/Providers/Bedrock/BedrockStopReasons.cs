using Switchboard.Chat;

namespace Switchboard.Providers.Bedrock;

/// <summary>Bedrock's <c>stopReason</c> values as canonical finish reasons.</summary>
internal static class BedrockStopReasons
{
    /// <summary>
    /// <c>end_turn</c> and <c>stop_sequence</c> stop, <c>max_tokens</c> and <c>model_context_window_exceeded</c> hit a
    /// length, <c>tool_use</c> calls tools, <c>guardrail_intervened</c> and <c>content_filtered</c> were filtered.
    /// A reason Bedrock adds later reads as a stop: clients reject finish reasons they do not know.
    /// </summary>
    public static string Canonical(ReadOnlySpan<byte> reason) => reason switch
    {
        _ when reason.SequenceEqual("max_tokens"u8) || reason.SequenceEqual("model_context_window_exceeded"u8) => FinishReasons.Length,
        _ when reason.SequenceEqual("tool_use"u8) => FinishReasons.ToolCalls,
        _ when reason.SequenceEqual("guardrail_intervened"u8) || reason.SequenceEqual("content_filtered"u8) => FinishReasons.ContentFilter,
        _ => FinishReasons.Stop,
    };
}
