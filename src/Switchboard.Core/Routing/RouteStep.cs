namespace Switchboard.Routing;

/// <summary>A target a strategy put in order, and why it put it there.</summary>
internal readonly record struct RouteStep(string Target, string Reason);
