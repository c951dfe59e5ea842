using Switchboard.Routing.Strategies;

namespace Switchboard.Routing;

/// <summary>A route, agent or workflow ready to order its targets: its strategy, the fallbacks after it, its timeout.</summary>
internal sealed record CompiledRoute(string Name, RouteStrategy Strategy, IReadOnlyList<string> Fallbacks, TimeSpan? Timeout);
