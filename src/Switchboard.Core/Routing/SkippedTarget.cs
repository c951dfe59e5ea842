namespace Switchboard.Routing;

/// <summary>A target the router left out, and why: it lacks a capability the request needs, has no key, or its circuit is open.</summary>
public sealed record SkippedTarget(string Target, string Reason);
