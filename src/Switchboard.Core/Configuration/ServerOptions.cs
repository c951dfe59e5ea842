namespace Switchboard.Configuration;

/// <summary>The <c>server:</c> section: where the gateway listens and who may call it.</summary>
public sealed record ServerOptions
{
    public const int DefaultPort = 4000;

    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = DefaultPort;

    /// <summary>When set, every request needs <c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    public SecretReference? MasterKey { get; init; }

    /// <summary>Requests with a larger body are refused with 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 10 * 1024 * 1024;
}
