using Switchboard.Configuration;
using Switchboard.Gateway;
using Switchboard.Gateway.Execution;

namespace Switchboard.Cli;

/// <summary>
/// The gateway's own chat calls, in-process and without a server or store: the config's routing, fallbacks and
/// budgets apply, as in <c>switchboard serve</c>, so a command runs the same mechanism the API does.
/// </summary>
internal sealed class InProcessGateway : IDisposable
{
    private InProcessGateway(SwitchboardRuntime runtime) =>
        (Runtime, Chat) = (runtime, new GatewayChat(runtime, new UsageRecorder(null), new RequestLimits(null, runtime.Options.Budgets, runtime.Time)));

    public SwitchboardRuntime Runtime { get; }

    public GatewayChat Chat { get; }

    /// <summary>Loads the config (<paramref name="configPath"/>, or <c>./switchboard.yaml</c>) and builds the runtime from it.</summary>
    public static InProcessGateway Open(CliEnvironment env, string? configPath) =>
        new(new SwitchboardRuntime(ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory), environment: env.Variables));

    public void Dispose() => Runtime.Dispose();
}
