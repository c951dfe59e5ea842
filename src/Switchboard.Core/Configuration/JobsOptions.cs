namespace Switchboard.Configuration;

/// <summary>The <c>jobs:</c> section: defaults for submitted jobs and how the gateway's workers run them.</summary>
public sealed record JobsOptions
{
    /// <summary>The provider a job goes to when its submission names none (and no route).</summary>
    public string? Provider { get; init; }

    /// <summary>The model a job asks for when its submission names none (and no route).</summary>
    public string? ModelName { get; init; }

    /// <summary>Jobs one gateway runs at once.</summary>
    public int Workers { get; init; } = 8;

    /// <summary>Jobs one gateway runs at once per provider (per route, for jobs sent to a route).</summary>
    public int ProviderConcurrency { get; init; } = 4;

    /// <summary>How long a running job is its worker's without a renewal; renewed every third of it.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often idle workers look for jobs another process stored (a submission here wakes them at once).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A job started this many times (each time its worker died or lost the lease) fails instead of running again.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The key webhook bodies are signed with (<c>x-switchboard-signature: sha256=...</c>); null for unsigned.</summary>
    public SecretReference? WebhookSecret { get; init; }
}
