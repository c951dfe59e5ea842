using Switchboard.Chat;
using Switchboard.Resilience;

namespace Switchboard.Routing;

/// <summary>Puts together a request's <see cref="RoutingContext"/> from what the client said and what the gateway knows now.</summary>
internal static class RoutingContextFactory
{
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    /// <param name="body">The request body, kept for the prompt analysis a rule or tier may ask for.</param>
    public static RoutingContext Create(ChatRequestEnvelope envelope, RoutingMetadata fields, ReadOnlyMemory<byte> body, TimeProvider time, DeploymentRegistry deployments)
    {
        var now = time.GetLocalNow();
        return new RoutingContext(() => PromptAnalyzer.Analyze(body.Span))
        {
            Model = envelope.Model,
            Priority = fields.Priority,
            Labels = fields.Labels,
            Agent = fields.Agent,
            Stage = fields.Stage,
            Workflow = fields.Workflow,
            Id = fields.Id,
            User = fields.User,
            Metadata = fields.Values,
            Hour = now.Hour,
            Weekday = Weekdays[(int)now.DayOfWeek],
            RetryCount = fields.RetryCount,
            HasTools = envelope.HasTools,
            HasImages = envelope.HasImages,
            ProviderStatus = deployments.Status,
        };
    }
}
