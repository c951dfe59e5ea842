namespace Switchboard.Gateway;

/// <summary>The rate-limit headers of a virtual key with limits, named as OpenAI names its own.</summary>
internal static class RateLimitHeaders
{
    public const string LimitRequests = "x-ratelimit-limit-requests";
    public const string RemainingRequests = "x-ratelimit-remaining-requests";
    public const string ResetRequests = "x-ratelimit-reset-requests";
    public const string LimitTokens = "x-ratelimit-limit-tokens";
    public const string RemainingTokens = "x-ratelimit-remaining-tokens";
    public const string ResetTokens = "x-ratelimit-reset-tokens";
}
