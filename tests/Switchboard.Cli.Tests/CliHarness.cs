using Spectre.Console;

namespace Switchboard.Cli.Tests;

/// <summary>
/// Runs the <c>switchboard</c> command in-process with its own environment variables (never the machine's),
/// its own working directory and piped input, capturing what it prints without colours or wrapping.
/// </summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("switchboard-cli-").FullName;
    }

    public Dictionary<string, string?> Variables { get; } = new(StringComparer.Ordinal);

    public string WorkingDirectory { get; }

    /// <summary>Text piped to standard input; null is a terminal.</summary>
    public string? Stdin { get; set; }

    public CapturedText Output { get; private set; } = new();

    public CapturedText Errors { get; private set; } = new();

    public Task<CliResult> RunAsync(params string[] args) => RunAsync(args, CancellationToken.None);

    public async Task<CliResult> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        Output = new CapturedText();
        Errors = new CapturedText();
        var env = new CliEnvironment(Console(Output), Console(Errors), Stdin is null ? null : new StringReader(Stdin),
            name => Variables.GetValueOrDefault(name), WorkingDirectory);
        var code = await CliApp.RunAsync(args, env, cancellationToken);
        return new CliResult(code, Output.Text, Errors.Text);
    }

    /// <summary>Writes a file in the working directory and returns its name.</summary>
    public string WriteFile(string name, string text)
    {
        File.WriteAllText(Path.Combine(WorkingDirectory, name), text);
        return name;
    }

    public void Dispose() => Directory.Delete(WorkingDirectory, recursive: true);

    private static IAnsiConsole Console(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        // Wide enough that no table cell or message wraps, so assertions see whole lines.
        console.Profile.Width = 1000;
        return console;
    }
}
