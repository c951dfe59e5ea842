namespace Switchboard.Storage.Jobs;

/// <summary>A job to store: what to send and where, as the submission gave it.</summary>
public sealed record NewJob
{
    /// <summary>The provider named by the submission (or the config's default); null for a job sent to a route.</summary>
    public string? Provider { get; init; }

    /// <summary>The model the provider is asked for; null for a job sent to a route.</summary>
    public string? ModelName { get; init; }

    /// <summary>The route, agent or workflow name the job is sent to instead of a provider and model.</summary>
    public string? Route { get; init; }

    /// <summary>The OpenAI chat-completions body to send, as JSON text.</summary>
    public required string Request { get; init; }

    /// <summary>Free string pairs kept with the job (routing fields among them).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the finished job is POSTed; null for nowhere.</summary>
    public Uri? Webhook { get; init; }
}
