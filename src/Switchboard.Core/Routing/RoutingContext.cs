namespace Switchboard.Routing;

/// <summary>
/// What a routing rule can read about a request: what the client said (the body's <c>metadata</c> or
/// <c>x-switchboard-*</c> headers) and what the gateway knows (the time, the size and shape of the prompt,
/// the providers' health). Built once per request.
/// </summary>
public sealed class RoutingContext
{
    private readonly Func<double>? _complexity;
    private double? _complexityScore;

    /// <param name="complexity">Scores the prompt 0–10 when a rule first asks; null means 0.</param>
    public RoutingContext(Func<double>? complexity = null) => _complexity = complexity;

    /// <summary>The name the client asked for.</summary>
    public string Model { get; init; } = "";

    /// <summary>The client's <c>priority</c>, when it sent a number (0 is the most urgent).</summary>
    public double? Priority { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public string? Agent { get; init; }

    public string? Stage { get; init; }

    public string? Workflow { get; init; }

    /// <summary>The client's id for the task or request, used for deterministic splits.</summary>
    public string? Id { get; init; }

    public string? User { get; init; }

    /// <summary>Every metadata value the client sent, as text, for <c>metadata['team']</c>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The hour of the day, 0–23, in the gateway's local time.</summary>
    public int Hour { get; init; }

    /// <summary>The day of the week in lower case: <c>monday</c> … <c>sunday</c>.</summary>
    public string Weekday { get; init; } = "monday";

    /// <summary>The estimated prompt tokens.</summary>
    public int Tokens { get; init; }

    /// <summary>How many times the client says it has retried this request.</summary>
    public int RetryCount { get; init; }

    public bool HasTools { get; init; }

    public bool HasImages { get; init; }

    /// <summary><c>healthy</c>, <c>degraded</c>, <c>down</c>, or <c>unknown</c> for a provider name.</summary>
    public Func<string, string> ProviderStatus { get; init; } = static _ => "unknown";

    /// <summary>The prompt's complexity, 0–10, scored on first use.</summary>
    public double Complexity => _complexityScore ??= _complexity?.Invoke() ?? 0;
}
