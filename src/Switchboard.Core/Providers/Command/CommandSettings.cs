namespace Switchboard.Providers.Command;

/// <summary>What a command provider runs and how: its config entry, made ready for runs.</summary>
/// <param name="Provider">The provider's name in the config.</param>
/// <param name="Template">The program and its arguments, placeholders still in.</param>
/// <param name="Timeout">How long one run may take, output read included.</param>
/// <param name="ReadsFile">True with <c>output: file</c>: the answer is <c>{output_file}</c>, read after the program exits.</param>
/// <param name="Time">The clock the timeout is measured on.</param>
internal sealed record CommandSettings(string Provider, IReadOnlyList<string> Template, TimeSpan Timeout, bool ReadsFile, TimeProvider Time)
{
    /// <summary>The program as the config names it.</summary>
    public string Program => Template[0];

    /// <summary>The program and where it is configured, for messages: <c>'claude' (providers.claude-cli.command)</c>.</summary>
    public string Describe() => $"'{Program}' (providers.{Provider}.command)";
}
