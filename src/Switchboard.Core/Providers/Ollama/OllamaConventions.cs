using Switchboard.Chat;

namespace Switchboard.Providers.Ollama;

/// <summary>What whole answers and streams of Ollama's native API share: finish reasons and the ids Ollama does not give.</summary>
internal static class OllamaConventions
{
    /// <summary>
    /// The canonical finish reason for a <c>done_reason</c>. Ollama says <c>stop</c> after tool calls too, so calls turn
    /// it into <c>tool_calls</c> (as Ollama's own OpenAI layer does); <c>load</c>/<c>unload</c> and a missing reason end normally.
    /// </summary>
    public static string FinishReason(bool length, bool calledTools) =>
        length ? FinishReasons.Length : calledTools ? FinishReasons.ToolCalls : FinishReasons.Stop;

    /// <summary>A tool call id, for the calls Ollama sends without one; clients need an id to answer the call.</summary>
    public static string NewToolCallId() => "call_" + Guid.NewGuid().ToString("N")[..24];

    /// <summary>A response id: Ollama's answers have none.</summary>
    public static string NewResponseId() => "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
}
