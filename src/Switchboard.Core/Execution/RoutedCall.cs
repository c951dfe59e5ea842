using Switchboard.Routing;

namespace Switchboard.Execution;

/// <summary>The candidate that answered: the body as it was prepared for it, its answer, and the decision it came from.</summary>
internal sealed record RoutedCall(PreparedChat Prepared, UpstreamResult Result, RoutingDecision Decision);
