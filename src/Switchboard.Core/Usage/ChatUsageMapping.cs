using Switchboard.Chat;

namespace Switchboard.Usage;

/// <summary>Reads the wire usage object as token counts by kind.</summary>
public static class ChatUsageMapping
{
    public static TokenUsage ToTokenUsage(ChatUsage usage) => new(
        usage.PromptTokens,
        usage.CompletionTokens,
        CachedInput: usage.PromptTokensDetails?.CachedTokens ?? 0,
        CacheWrite: usage.PromptTokensDetails?.CacheCreationTokens ?? 0,
        Reasoning: usage.CompletionTokensDetails?.ReasoningTokens ?? 0);

    public static ChatUsage FromTokenUsage(TokenUsage usage) => new()
    {
        PromptTokens = usage.Input,
        CompletionTokens = usage.Output,
        TotalTokens = usage.Total,
        PromptTokensDetails = new PromptTokensDetails { CachedTokens = usage.CachedInput, CacheCreationTokens = usage.CacheWrite > 0 ? usage.CacheWrite : null },
        CompletionTokensDetails = new CompletionTokensDetails { ReasoningTokens = usage.Reasoning },
    };
}
