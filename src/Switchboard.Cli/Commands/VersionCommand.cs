using System.CommandLine;
using System.Reflection;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard version</c>: the build, for bug reports.</summary>
internal static class VersionCommand
{
    public static Command Create(CliEnvironment env)
    {
        var command = new Command("version", "Print Switchboard's version.");
        command.SetAction(_ =>
        {
            env.Out.Profile.Out.Writer.WriteLine($"switchboard {Version}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The informational version: the package version and, when built from git, the commit.</summary>
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
