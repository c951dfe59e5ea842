using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Usage;

namespace Switchboard.Execution;

/// <summary>A whole completion with what it took: where it ran, how many calls, its tokens and cost.</summary>
public sealed record ChatCompletion(ChatResponse Response, ModelResolution Target, int Attempts, TokenUsage? Usage, decimal? Cost);
