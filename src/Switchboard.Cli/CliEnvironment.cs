using Spectre.Console;

namespace Switchboard.Cli;

/// <summary>
/// Everything the commands take from the process: consoles, piped input, environment variables and the
/// working directory. Tests pass their own, so a command never reads the machine's keys or files by accident.
/// </summary>
/// <param name="Out">Answers, tables and reports.</param>
/// <param name="Error">Errors, and the usage line after a chat answer, so piping the answer stays clean.</param>
/// <param name="Input">Piped standard input, or null when standard input is a terminal.</param>
/// <param name="Variables">Reads an environment variable; null when it is not set.</param>
/// <param name="WorkingDirectory">Where <c>switchboard.yaml</c> and relative <c>--config</c> paths are looked for.</param>
internal sealed record CliEnvironment(IAnsiConsole Out, IAnsiConsole Error, TextReader? Input, Func<string, string?> Variables, string WorkingDirectory)
{
    // Wide enough that nothing wraps: a table or message written to a file or pipe keeps one line per row.
    private const int UnwrappedWidth = 4096;

    public static CliEnvironment FromProcess() => new(
        Console(System.Console.Out, System.Console.IsOutputRedirected),
        Console(System.Console.Error, System.Console.IsErrorRedirected),
        System.Console.IsInputRedirected ? System.Console.In : null,
        Environment.GetEnvironmentVariable,
        Environment.CurrentDirectory);

    private static IAnsiConsole Console(TextWriter writer, bool redirected)
    {
        // Output for a file or another program gets plain text: no colour codes, no wrapping.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected) console.Profile.Width = UnwrappedWidth;
        return console;
    }
}
