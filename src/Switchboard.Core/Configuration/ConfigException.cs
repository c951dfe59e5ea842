namespace Switchboard.Configuration;

/// <summary>The config is wrong: each problem names the file, the line and the key, and says what is allowed.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<string> problems)
        : base(string.Join(Environment.NewLine, problems)) => Problems = problems;

    public ConfigException(string problem) : this([problem])
    {
    }

    public IReadOnlyList<string> Problems { get; }
}
