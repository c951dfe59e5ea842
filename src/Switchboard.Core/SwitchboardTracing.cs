using System.Diagnostics;

namespace Switchboard;

/// <summary>
/// Switchboard's traces: a <c>chat</c> span per gateway request (the routing decision as its tags) and an
/// <c>attempt</c> span per upstream call under it. Nothing is recorded unless a listener (an OpenTelemetry tracer
/// configured with <c>telemetry:</c>, or a test) subscribes to <see cref="SourceName"/>, so off costs a null check.
/// </summary>
public static class SwitchboardTracing
{
    public const string SourceName = "Switchboard";

    /// <summary>Read-only after start: an <see cref="ActivitySource"/> is meant to be one per library.</summary>
    public static readonly ActivitySource Source = new(SourceName, typeof(SwitchboardTracing).Assembly.GetName().Version?.ToString());
}
