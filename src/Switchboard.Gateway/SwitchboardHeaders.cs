namespace Switchboard.Gateway;

/// <summary>The response headers that say what the gateway decided and what it cost.</summary>
internal static class SwitchboardHeaders
{
    public const string Provider = "x-switchboard-provider";
    public const string Model = "x-switchboard-model";
    public const string Attempts = "x-switchboard-attempts";
    public const string Route = "x-switchboard-route";
    public const string Rule = "x-switchboard-rule";
    public const string OverheadMs = "x-switchboard-overhead-ms";
    public const string DroppedParams = "x-switchboard-dropped-params";
    public const string CostUsd = "x-switchboard-cost-usd";
    public const string UpstreamRequestId = "x-switchboard-upstream-request-id";
}
