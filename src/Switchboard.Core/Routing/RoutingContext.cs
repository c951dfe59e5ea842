namespace Switchboard.Routing;

/// <summary>
/// What a routing rule can read about a request: what the client said (the body's <c>metadata</c> or
/// <c>x-switchboard-*</c> headers) and what the gateway knows (the time, the size and shape of the prompt,
/// the providers' health). Built once per request.
/// </summary>
public sealed class RoutingContext
{
    private static readonly PromptAnalysis Nothing = new(0, 0, []);

    private readonly Func<PromptAnalysis>? _analyze;
    private PromptAnalysis? _analysis;

    /// <param name="analyze">Reads the prompt's size and complexity, called the first time either is asked for.</param>
    public RoutingContext(Func<PromptAnalysis>? analyze = null) => _analyze = analyze;

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

    /// <summary>The estimated prompt tokens, counted on first use.</summary>
    public int Tokens => Analysis.EstimatedTokens;

    /// <summary>How many times the client says it has retried this request.</summary>
    public int RetryCount { get; init; }

    public bool HasTools { get; init; }

    public bool HasImages { get; init; }

    /// <summary><c>healthy</c>, <c>degraded</c>, <c>down</c>, or <c>unknown</c> for a provider name.</summary>
    public Func<string, string> ProviderStatus { get; init; } = static _ => "unknown";

    /// <summary>The prompt's complexity, 0–10, scored on first use.</summary>
    public double Complexity => Analysis.Complexity;

    /// <summary>What raised the complexity score.</summary>
    public IReadOnlyList<string> ComplexityReasons => Analysis.Reasons;

    /// <summary>True once the prompt has been analysed, so a decision shows only what it used.</summary>
    public bool Analysed => _analysis is not null;

    private PromptAnalysis Analysis => _analysis ??= _analyze?.Invoke() ?? Nothing;
}
