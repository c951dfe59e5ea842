namespace Switchboard.Routing.Rules;

/// <summary>A name a condition can read from the <see cref="RoutingContext"/>.</summary>
internal enum RuleField : byte
{
    Priority,
    Labels,
    Agent,
    Stage,
    Workflow,
    Id,
    User,
    Hour,
    Weekday,
    Tokens,
    Complexity,
    RetryCount,
    HasTools,
    HasImages,
    Model,

    // The two maps: read only through an index, as in metadata['team'].
    ProviderStatus,
    Metadata,
}
