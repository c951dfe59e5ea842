using Switchboard.Chat;

namespace Switchboard.Providers.Gemini;

/// <summary>Gemini's <c>finishReason</c> and <c>promptFeedback.blockReason</c> values as canonical finish reasons.</summary>
internal static class GeminiFinishReasons
{
    /// <summary>
    /// <c>STOP</c> is a stop, or a tool call when the answer called functions (Gemini has no reason of its own for that);
    /// <c>MAX_TOKENS</c> is length; every filter (safety, recitation, blocklist, prohibited content, personal data,
    /// image safety) is a content filter; anything else (<c>MALFORMED_FUNCTION_CALL</c>, <c>OTHER</c>, ...) ends the answer as a stop.
    /// </summary>
    public static string Canonical(ReadOnlySpan<byte> reason, bool calledFunctions) => reason switch
    {
        _ when reason.SequenceEqual("MAX_TOKENS"u8) => FinishReasons.Length,
        _ when IsFilter(reason) => FinishReasons.ContentFilter,
        _ when calledFunctions => FinishReasons.ToolCalls,
        _ => FinishReasons.Stop,
    };

    /// <inheritdoc cref="Canonical(ReadOnlySpan{byte}, bool)"/>
    public static string Canonical(string reason, bool calledFunctions) => Canonical(System.Text.Encoding.UTF8.GetBytes(reason), calledFunctions);

    private static bool IsFilter(ReadOnlySpan<byte> reason) =>
        reason.SequenceEqual("SAFETY"u8) || reason.SequenceEqual("RECITATION"u8) || reason.SequenceEqual("BLOCKLIST"u8)
        || reason.SequenceEqual("PROHIBITED_CONTENT"u8) || reason.SequenceEqual("SPII"u8) || reason.SequenceEqual("IMAGE_SAFETY"u8)
        || reason.SequenceEqual("IMAGE_PROHIBITED_CONTENT"u8) || reason.SequenceEqual("IMAGE_RECITATION"u8) || reason.SequenceEqual("MODEL_ARMOR"u8);
}
