namespace Switchboard.Cli;

/// <summary>The command line parsed but does not make sense (no prompt, an unknown provider to filter by): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
