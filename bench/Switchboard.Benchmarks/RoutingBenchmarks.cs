using BenchmarkDotNet.Attributes;
using Switchboard.Configuration;
using Switchboard.Routing;

namespace Switchboard.Benchmarks;

/// <summary>
/// Whole routing decisions as a request pays for them: the router looking up the route, ordering its targets,
/// resolving each to a deployment and checking it fits the request. A <c>rules</c> route of 20 rules where only
/// the last holds (all 20 evaluated), and a three-target fallback route.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks : IDisposable
{
    private SwitchboardRuntime _runtime = null!;
    private RoutingContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var rules = string.Join("\n", RuleBenchmarks.Conditions.Select((c, i) => $"      - {{ when: \"{c}\", target: {(i % 2 == 0 ? "gpt-4.1" : "claude-sonnet-4-5")} }}"));
        var yaml = $$"""
            routes:
              triage:
                strategy: rules
                rules:
            {{rules}}
                default: gpt-4o-mini
                fallbacks: [gpt-4o]
              smart: { strategy: fallback, targets: [claude-sonnet-4-5, gpt-4.1, gemini-2.5-pro] }
            """;
        _runtime = new SwitchboardRuntime(ConfigLoader.Parse(yaml, "bench.yaml", Payloads.Environment()), environment: Payloads.Environment());
        _context = new RoutingContext(() => new PromptAnalysis(2_000, 3.5, []))
        {
            Model = "triage",
            Priority = 3,
            Labels = ["chat", "support"],
            Agent = "search",
            Metadata = new Dictionary<string, string> { ["team"] = "growth" },
            Hour = 14,
            Weekday = "wednesday",
            HasTools = true,
            ProviderStatus = _ => "healthy",
        };
        if (_runtime.Router.Route("triage", _context).Candidates[0].Target.Model != "claude-sonnet-4-5")
            throw new InvalidOperationException("only the last rule should hold");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _runtime?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int RulesRoute20Rules() => _runtime.Router.Route("triage", _context).Candidates.Count;

    [Benchmark]
    public int FallbackRoute3Targets() => _runtime.Router.Route("smart", _context).Candidates.Count;

    [Benchmark(Baseline = true)]
    public int ModelAskedForDirectly() => _runtime.Router.Route("gpt-4o-mini").Candidates.Count;
}
