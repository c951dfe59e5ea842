namespace Switchboard.Cli.Tests;

/// <summary>What one run of the command left: its exit code, standard output and standard error.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Errors)
{
    public string All => Output + Errors;

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Errors}";
}
