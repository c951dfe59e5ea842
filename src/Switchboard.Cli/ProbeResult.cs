namespace Switchboard.Cli;

/// <summary>Whether a URL answered, and in a few words how (<c>HTTP 404</c>) or why not (<c>connection refused</c>).</summary>
internal sealed record ProbeResult(bool Answers, string Detail);
