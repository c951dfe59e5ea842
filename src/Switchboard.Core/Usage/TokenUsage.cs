namespace Switchboard.Usage;

/// <summary>
/// Tokens of one request by kind. <see cref="Input"/> counts the whole prompt, cached reads and cache
/// writes included; <see cref="Output"/> counts the whole completion, reasoning included.
/// </summary>
public readonly record struct TokenUsage(int Input, int Output, int CachedInput = 0, int CacheWrite = 0, int Reasoning = 0)
{
    public int Total => Input + Output;
}
