namespace Switchboard.Resilience;

/// <summary>The words a provider's health is given in, as rules read them: <c>provider_status['anthropic'] == 'down'</c>.</summary>
public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Down = "down";
}
