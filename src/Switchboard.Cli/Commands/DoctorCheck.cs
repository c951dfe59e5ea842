using Switchboard.Providers;

namespace Switchboard.Cli.Commands;

/// <summary>What <c>doctor</c> found for one model or provider.</summary>
/// <param name="Subject">The model as named, or the provider's name.</param>
/// <param name="Provider">The provider the model leads to; null when the name leads nowhere.</param>
/// <param name="FoundBy">How the provider was worked out: catalog, pattern, prefix, alias ...; or why it is checked.</param>
/// <param name="Key">Which key variable is set or missing; never its value.</param>
/// <param name="KeySet">Whether the key is there (or none is needed).</param>
/// <param name="Callable">Whether every key and setting a call needs is present and Switchboard can speak the provider's API.</param>
/// <param name="Fixes">Commands that fix what is missing, such as <c>export OPENAI_API_KEY=sk-...</c>.</param>
/// <param name="Problems">What else stands in the way, in words.</param>
/// <param name="Reach">Whether the base URL answers; null when there is no base URL to ask.</param>
internal sealed record DoctorCheck(
    string Subject,
    Provider? Provider,
    string FoundBy,
    string Key,
    bool KeySet,
    bool Callable,
    IReadOnlyList<string> Fixes,
    IReadOnlyList<string> Problems,
    Task<ProbeResult>? Reach)
{
    public bool Ready => Callable && Reach is { IsCompletedSuccessfully: true, Result.Answers: true };
}
