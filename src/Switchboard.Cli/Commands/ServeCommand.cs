using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Storage;
using Switchboard.Gateway;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard serve</c>: runs the gateway until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var host = new Option<string?>("--host")
        {
            Description = "The address to listen on, overriding server.host. Default: 127.0.0.1. Any address other machines can reach needs a master key (server.master_key).",
            HelpName = "HOST",
        };
        var port = CliOptions.Integer("--port", 0, 65535, "-p");
        port.Description = $"The port to listen on, overriding server.port. Default: {ServerOptions.DefaultPort}; 0 picks a free one.";
        port.HelpName = "PORT";

        var command = new Command("serve",
            "Run the gateway: OpenAI-compatible (POST /v1/chat/completions, GET /v1/models) and Anthropic-compatible (POST /v1/messages) endpoints in front of every provider whose key is set. " +
            "Point any OpenAI SDK at it with OPENAI_BASE_URL, or an Anthropic SDK (or Claude Code) with ANTHROPIC_BASE_URL. Stops on Ctrl+C.")
        {
            config, host, port,
        };
        command.SetAction(CliApp.Guard(env, (result, cancellationToken) =>
            RunAsync(env, result.GetValue(config), result.GetValue(host), result.GetValue(port), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment env, string? configPath, string? host, int? port, CancellationToken cancellationToken)
    {
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        await using var app = SwitchboardGateway.Build(options, new GatewayHostOptions
        {
            Host = host,
            Port = port,
            Environment = env.Variables,
            Storage = CliStorage.Storage(env, options),
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            // Kestrel reports a taken port or an address this machine does not have as an IOException.
            throw new ConfigException($"Could not listen on {host ?? options.Server.Host}:{port ?? options.Server.Port}: {e.Message} Pick another with --port or server.port.");
        }

        var runtime = app.Services.GetRequiredService<SwitchboardRuntime>();
        var store = app.Services.GetService<ISwitchboardStore>();
        var enabled = runtime.Providers.All.Where(p => p.IsEnabled).Select(p => p.Name).ToList();
        var url = app.Urls.FirstOrDefault() ?? $"http://{host ?? options.Server.Host}:{port ?? options.Server.Port}";
        var providers = enabled.Count > 0
            ? "providers: " + string.Join(", ", enabled)
            : "providers: none yet (set a key such as OPENAI_API_KEY; switchboard doctor shows what is missing)";
        var auth = runtime.Options.Server.MasterKey?.Resolve(env.Variables) is null ? "" : " · master key required";
        var storage = store is null ? "no store" : "usage in " + store.Description;
        env.Out.MarkupLineInterpolated($"Switchboard listening on [bold]{url.TrimEnd('/')}/v1[/] · dashboard {url.TrimEnd('/')}/ · {providers}{auth} · {storage} · Ctrl+C stops");

        // Returns on Ctrl+C (the token) or when the host stops itself, then shuts the server down.
        await app.WaitForShutdownAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}
