namespace Switchboard.Cli;

/// <summary>What the command's exit code means, so scripts can tell a typo from a missing key.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something unexpected; System.CommandLine's last-resort handler prints it.</summary>
    public const int Unexpected = 1;

    /// <summary>The command line is wrong: unknown option, bad value, no prompt.</summary>
    public const int Usage = 2;

    /// <summary>The config file is wrong, or the server settings are unsafe.</summary>
    public const int Config = 3;

    /// <summary>A provider failed, or a key, setting or base URL it needs is missing or unreachable.</summary>
    public const int Provider = 4;

    /// <summary>Stopped by Ctrl+C in the middle of something (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
