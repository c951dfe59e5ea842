namespace Switchboard.Gateway;

/// <summary>How to host the gateway beyond what the config says; tests and the CLI set these.</summary>
public sealed record GatewayHostOptions
{
    /// <summary>Overrides <c>server.host</c> (the CLI's <c>--host</c>).</summary>
    public string? Host { get; init; }

    /// <summary>Overrides <c>server.port</c> (the CLI's <c>--port</c>); 0 picks a free port.</summary>
    public int? Port { get; init; }

    public Func<string, string?>? Environment { get; init; }

    public TimeProvider? Time { get; init; }

    /// <summary>Makes each provider's HTTP handler; null for the default pooled one.</summary>
    public Func<HttpMessageHandler>? HandlerFactory { get; init; }

    /// <summary>Overrides <c>storage</c> and <c>SWITCHBOARD_DATABASE_URL</c> (tests give each gateway its own database).</summary>
    public string? Storage { get; init; }

    /// <summary>Whether to log to the console (the CLI does; tests do not).</summary>
    public bool ConsoleLogging { get; init; } = true;
}
