using BenchmarkDotNet.Attributes;
using Switchboard.Routing;
using Switchboard.Routing.Rules;

namespace Switchboard.Benchmarks;

/// <summary>
/// The routing rule language: a <c>rules</c> route tries its conditions in order and takes the first that
/// matches. Measured at its worst, where only the last of 20 realistic rules matches, so every one is evaluated;
/// and the one-time cost of parsing them when the config loads.
/// </summary>
[MemoryDiagnoser]
public class RuleBenchmarks
{
    internal static readonly string[] Conditions =
    [
        "provider_status['claude-cli'] == 'down'",
        "priority == 0",
        "labels contains 'documentation'",
        "hour >= 22 or hour <= 6",
        "weekday in ['saturday', 'sunday']",
        "agent == 'pricing' and tokens > 8000",
        "id ends_with '0'",
        "model starts_with 'gpt-'",
        "has_images and tokens > 4000",
        "complexity >= 7 and (has_tools or labels contains 'code')",
        "retry_count >= 2",
        "stage == 'review' and workflow != null",
        "user in ['ana', 'bo', 'chen']",
        "metadata['tier'] == 'enterprise'",
        "tokens > 100000",
        "provider_status['openai'] != 'healthy' and model contains 'gpt'",
        "labels contains 'urgent' or priority < 1",
        "agent starts_with 'batch-' and not has_tools",
        "not (weekday in ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'])",
        "metadata['team'] == 'growth' and has_tools",
    ];

    private static readonly Dictionary<string, string> Statuses = new() { ["claude-cli"] = "healthy", ["openai"] = "healthy", ["anthropic"] = "degraded" };

    private RuleCondition[] _rules = [];
    private RoutingContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rules = [.. Conditions.Select(RuleCondition.Parse)];
        _context = new RoutingContext(() => new PromptAnalysis(2_000, 3.5, []))
        {
            Model = "claude-sonnet-4-5",
            Priority = 3,
            Labels = ["chat", "support"],
            Agent = "search",
            Stage = "draft",
            Workflow = "triage",
            Id = "req-1234",
            User = "dana",
            Metadata = new Dictionary<string, string> { ["team"] = "growth", ["tier"] = "pro" },
            Hour = 14,
            Weekday = "wednesday",
            HasTools = true,
            ProviderStatus = name => Statuses.GetValueOrDefault(name, "unknown"),
        };
        if (FirstMatch() != Conditions.Length - 1) throw new InvalidOperationException("the benchmark context must match only the last rule");
    }

    /// <summary>A routing decision: 19 misses, then the match.</summary>
    [Benchmark(Baseline = true)]
    public int FirstMatch()
    {
        var rules = _rules;
        for (var i = 0; i < rules.Length; i++)
            if (rules[i].Evaluate(_context)) return i;
        return -1;
    }

    /// <summary>One rule on its own: a metadata read, a text comparison and a bool.</summary>
    [Benchmark]
    public bool OneRule() => _rules[^1].Evaluate(_context);

    /// <summary>Reading all 20 conditions, once per config load.</summary>
    [Benchmark]
    public RuleCondition ParseAll()
    {
        RuleCondition last = null!;
        foreach (var condition in Conditions) last = RuleCondition.Parse(condition);
        return last;
    }
}
