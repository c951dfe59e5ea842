using Switchboard.Providers;

namespace Switchboard.Routing;

/// <summary>A deployment the request may go to, in the order it will be tried, and why it is on the list.</summary>
public sealed record RouteCandidate(ModelResolution Target, string Reason)
{
    /// <summary>The time to first byte per attempt for this candidate: its route's, else its model's, else the default.</summary>
    public TimeSpan? Timeout { get; init; }

    public string Deployment => Target.Provider.Name + "/" + Target.Model;
}
