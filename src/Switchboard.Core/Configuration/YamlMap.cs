using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Configuration;

/// <summary>
/// Reads one YAML mapping of the config strictly: every key must be one the section allows, every value
/// of the right type, and every problem is reported with file, line, column and the key's full path.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly ConfigProblems _problems;

    public YamlMap(YamlMappingNode node, string path, ConfigProblems problems) => (_node, Path, _problems) = (node, path, problems);

    public string Path { get; }

    /// <summary>Where this map's problems go, for maps read inside it.</summary>
    public ConfigProblems Problems => _problems;

    public IEnumerable<(string Key, YamlNode Value, Mark Start)> Entries =>
        _node.Children.Select(e => (((YamlScalarNode)e.Key).Value ?? "", e.Value, e.Key.Start));

    /// <summary>Reports every key not in <paramref name="allowed"/>, with the nearest allowed one as a suggestion.</summary>
    public void RejectUnknown(params string[] allowed)
    {
        foreach (var (key, _, start) in Entries)
        {
            if (allowed.Contains(key, StringComparer.Ordinal)) continue;
            var near = Suggest(key, allowed);
            var hint = near is null ? "" : $" (did you mean '{near}'?)";
            var where = Path.Length == 0 ? "at the top level" : $"in {Path}";
            _problems.Add(start, $"unknown key '{key}' {where}{hint}. Allowed: {string.Join(", ", allowed)}.");
        }
    }

    public YamlNode? Node(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;

    public YamlMap? Map(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (node is YamlMappingNode map) return new YamlMap(map, Join(key), _problems);
        _problems.Add(node.Start, $"{Join(key)} must be a mapping of keys to values.");
        return null;
    }

    public string? String(string key)
    {
        var node = Node(key);
        if (node is null) return null;
        if (node is YamlScalarNode { Value: { } value }) return value;
        _problems.Add(node.Start, $"{Join(key)} must be a single value, not a list or mapping.");
        return null;
    }

    public bool? Bool(string key) => Parse(key, "true or false", s => bool.TryParse(s, out var v) ? v : (bool?)null);

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue) =>
        Parse(key, min == int.MinValue ? "a whole number" : $"a whole number from {min} to {max}",
            s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : (int?)null);

    public decimal? Decimal(string key) =>
        Parse(key, "a number of at least 0", s => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 ? v : (decimal?)null);

    public TimeSpan? Duration(string key) =>
        Parse(key, "a duration such as 500ms, 10s, 2m or 1h", ConfigValues.ParseDuration);

    public long? Size(string key) =>
        Parse(key, "a size such as 512KB, 10MB or 10MiB", ConfigValues.ParseSize);

    public IReadOnlyList<string>? Strings(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null: return null;
            case YamlScalarNode { Value: { } one }: return [one];
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
            default:
                _problems.Add(node.Start, $"{Join(key)} must be a value or a list of values.");
                return null;
        }
    }

    public void Problem(YamlNode node, string message) => _problems.Add(node.Start, message);

    public string Join(string key) => Path.Length == 0 ? key : Path + "." + key;

    private T? Parse<T>(string key, string expected, Func<string, T?> parse) where T : struct
    {
        var text = String(key);
        if (text is null) return null;
        var value = parse(text.Trim());
        if (value is null) _problems.Add(Node(key)!.Start, $"{Join(key)} must be {expected}, not '{text}'.");
        return value;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };

    private static string? Suggest(string key, string[] allowed) => Spelling.Closest(key, allowed, Math.Max(2, key.Length / 3));
}
