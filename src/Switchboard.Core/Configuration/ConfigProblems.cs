using YamlDotNet.Core;

namespace Switchboard.Configuration;

/// <summary>Collects every problem of a config file so the user sees them all at once, not one per run.</summary>
internal sealed class ConfigProblems(string file)
{
    private readonly List<string> _problems = [];

    public bool Any => _problems.Count > 0;

    public void Add(Mark start, string message) => _problems.Add($"{file}:{start.Line}:{start.Column}: {message}");

    public void Add(string message) => _problems.Add($"{file}: {message}");

    public void ThrowIfAny()
    {
        if (Any) throw new ConfigException(_problems);
    }
}
