namespace Switchboard.Routing;

/// <summary>What one pass of <see cref="PromptScanner"/> found in a request body.</summary>
internal struct PromptScan
{
    /// <summary>The estimated input tokens, as <see cref="PromptScanner"/> describes.</summary>
    public int EstimatedTokens;

    public bool SawModel;

    public bool SawMessages;

    /// <summary>Messages other than <c>system</c> and <c>developer</c> ones, so both shapes count a conversation alike.</summary>
    public int Turns;

    /// <summary>How many entries <c>tools</c> has.</summary>
    public int Tools;

    /// <summary>The largest of <c>max_tokens</c>, <c>max_completion_tokens</c> and <c>max_output_tokens</c>; 0 when none is set.</summary>
    public long MaxTokens;

    /// <summary>The text of the last user message that has text of its own: the task being asked.</summary>
    public TextSignals Task;
}
