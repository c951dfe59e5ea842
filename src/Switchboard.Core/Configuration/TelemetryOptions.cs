namespace Switchboard.Configuration;

/// <summary>The <c>telemetry:</c> section: where to send traces. Without an endpoint none are sent.</summary>
public sealed record TelemetryOptions
{
    /// <summary>An OTLP/HTTP collector (<c>http://127.0.0.1:4318</c>); traces go to its <c>/v1/traces</c>.</summary>
    public Uri? OtlpEndpoint { get; init; }

    public string ServiceName { get; init; } = "switchboard";
}
