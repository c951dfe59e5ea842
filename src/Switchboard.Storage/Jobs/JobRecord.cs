namespace Switchboard.Storage.Jobs;

/// <summary>A job as the store keeps it: the request, where it is in its life, and how it ended.</summary>
public sealed record JobRecord
{
    /// <summary>The job's id: <c>job_</c> and 26 characters that sort by creation time.</summary>
    public required string Id { get; init; }

    /// <summary>Where the job is in its life.</summary>
    public required JobStatus Status { get; init; }

    /// <summary>The provider the job was sent to; null for a job sent to a route.</summary>
    public string? Provider { get; init; }

    /// <summary>The model the provider was asked for; null for a job sent to a route.</summary>
    public string? ModelName { get; init; }

    /// <summary>The route, agent or workflow name the job was sent to.</summary>
    public string? Route { get; init; }

    /// <summary>The batch the job is an item of; null for a job submitted alone.</summary>
    public string? BatchId { get; init; }

    /// <summary>The job's place in its batch, from 0; null outside a batch.</summary>
    public int? ItemIndex { get; init; }

    /// <summary>The OpenAI chat-completions body to send, as JSON text.</summary>
    public required string Request { get; init; }

    /// <summary>Free string pairs kept with the job.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Where the finished job is POSTed; null for nowhere.</summary>
    public Uri? Webhook { get; init; }

    /// <summary>When the job was stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a worker first started the job; null while none has.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the job finished (or was cancelled); null while it has not.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How many times a worker started the job: more than one when a worker died or stopped holding it.</summary>
    public int Attempts { get; init; }

    /// <summary>The worker holding the job's lease while it runs.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When the lease runs out unless renewed; after that any worker may take the job.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>The result of a succeeded job, as JSON text the gateway wrote.</summary>
    public string? Result { get; init; }

    /// <summary>The error of a failed job, as JSON text the gateway wrote.</summary>
    public string? Error { get; init; }
}
