namespace Switchboard.Configuration;

/// <summary>Everything <c>switchboard.yaml</c> says, with the defaults that make no config work.</summary>
public sealed record SwitchboardOptions
{
    /// <summary>The file the options came from, or null when none was used.</summary>
    public string? SourcePath { get; init; }

    public ServerOptions Server { get; init; } = new();

    public IReadOnlyList<ProviderOptions> Providers { get; init; } = [];

    public IReadOnlyList<ModelOptions> Models { get; init; } = [];

    /// <summary>Other names for models: <c>claude4: claude-sonnet-4-20250514</c>.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Drop a parameter the model does not accept (true) or refuse the request (false).</summary>
    public bool DropUnsupported { get; init; } = true;

    public ResilienceOptions Resilience { get; init; } = new();

    /// <summary>
    /// Where usage, virtual keys, budgets and rate limits are kept (<c>sqlite:PATH</c>, a path, a PostgreSQL URL), or
    /// <c>none</c> for no store at all. <c>SWITCHBOARD_DATABASE_URL</c> overrides it.
    /// </summary>
    public SecretReference Storage { get; init; } = SecretReference.Parse(DefaultStorage);

    /// <summary>Spend limits per provider and per model, over all traffic, enforced by the gateway.</summary>
    public BudgetsOptions Budgets { get; init; } = new();

    public const string DefaultStorage = "sqlite:switchboard.db";

    public TelemetryOptions Telemetry { get; init; } = new();

    /// <summary>Defaults for submitted jobs and how the gateway's workers run them.</summary>
    public JobsOptions Jobs { get; init; } = new();

    /// <summary>The value of <see cref="Storage"/> that turns the store off.</summary>
    public const string NoStorage = "none";

    /// <summary>Names clients ask for like models, each with a strategy over its targets.</summary>
    public IReadOnlyDictionary<string, RouteOptions> Routes { get; init; } = new Dictionary<string, RouteOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Each agent's own fallback chain, picked by the request's <c>agent</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Agents { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Workflows whose stages each have their model, picked by the request's <c>workflow</c> and <c>stage</c>.</summary>
    public IReadOnlyDictionary<string, WorkflowOptions> Workflows { get; init; } = new Dictionary<string, WorkflowOptions>(StringComparer.OrdinalIgnoreCase);
}
