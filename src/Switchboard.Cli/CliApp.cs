using System.CommandLine;
using System.CommandLine.Invocation;
using Spectre.Console;
using Switchboard.Cli.Commands;
using Switchboard.Configuration;

namespace Switchboard.Cli;

/// <summary>The <c>switchboard</c> command: builds the command tree, runs it, and turns expected failures into exit codes.</summary>
internal static class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/> and returns the exit code (see <see cref="ExitCodes"/>).</summary>
    /// <param name="cancellationToken">Stops the command as Ctrl+C would; <c>serve</c> then shuts down cleanly.</param>
    public static async Task<int> RunAsync(string[] args, CliEnvironment env, CancellationToken cancellationToken = default)
    {
        var parsed = CreateRoot(env).Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = env.Out.Profile.Out.Writer,
            Error = env.Error.Profile.Out.Writer,
        };
        var code = await parsed.InvokeAsync(invocation, cancellationToken);
        // System.CommandLine answers a parse error with 1, which scripts cannot tell from a crash.
        return parsed.Action is ParseErrorAction ? ExitCodes.Usage : code;
    }

    public static RootCommand CreateRoot(CliEnvironment env) => new(
        "Switchboard: one LLM endpoint and client in front of OpenAI, Anthropic, Gemini, Groq, OpenRouter, Ollama and more. " +
        "It picks the provider from the model name, checks keys before it calls, and says what each call cost. " +
        "Exit codes: 0 ok, 2 usage, 3 config, 4 provider error or missing key.")
    {
        ServeCommand.Create(env),
        ChatCommand.Create(env),
        CompareCommand.Create(env),
        WorkflowCommand.Create(env),
        ModelsCommand.Create(env),
        RouteCommand.Create(env),
        DoctorCommand.Create(env),
        UsageCommand.Create(env),
        VersionCommand.Create(env),
        KeysCommand.Create(env),
        JobsCommand.Create(env),
        BatchCommand.Create(env),
    };

    /// <summary>
    /// Wraps a command's body so an expected failure prints its message (never a stack trace) and exits with its
    /// code; anything else is left to System.CommandLine's last-resort handler.
    /// </summary>
    public static Func<ParseResult, CancellationToken, Task<int>> Guard(CliEnvironment env, Func<ParseResult, CancellationToken, Task<int>> body) =>
        async (result, cancellationToken) =>
        {
            try
            {
                return await body(result, cancellationToken);
            }
            catch (ConfigException e)
            {
                foreach (var problem in e.Problems) env.Error.MarkupLineInterpolated($"[red]{problem}[/]");
                return ExitCodes.Config;
            }
            catch (SwitchboardException e)
            {
                env.Error.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return ExitCodes.Provider;
            }
            catch (UsageException e)
            {
                env.Error.MarkupLineInterpolated($"[red]{e.Message}[/]");
                return ExitCodes.Usage;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return ExitCodes.Interrupted;
            }
        };
}
