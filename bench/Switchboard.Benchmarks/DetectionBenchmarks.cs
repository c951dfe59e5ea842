using BenchmarkDotNet.Attributes;
using Switchboard.Configuration;
using Switchboard.Providers;

namespace Switchboard.Benchmarks;

/// <summary>
/// Working out the provider from a model name. The resolver remembers up to 4096 names, so the steady
/// state is a dictionary hit; the first sight of a name (prefix, catalog or pattern) is measured on a fresh
/// resolver per iteration, over many distinct names, so every call in the measured loop is a first sight.
/// </summary>
[MemoryDiagnoser]
public class DetectionBenchmarks : IDisposable
{
    // Below the resolver's memory of 4096 names, so every one is worked out and remembered, as in real use.
    private const int FirstSightNames = 2048;
    private const int CatalogNames = 128;

    private SwitchboardRuntime _runtime = null!;
    private ModelResolver _fresh = null!;
    private string[] _prefixed = [];
    private string[] _patterned = [];
    private string[] _cataloged = [];

    [GlobalSetup]
    public void Setup()
    {
        _runtime = new SwitchboardRuntime(ConfigLoader.Parse("", "bench.yaml", Payloads.Environment()), environment: Payloads.Environment());
        _prefixed = [.. Enumerable.Range(0, FirstSightNames).Select(i => $"openrouter/vendor/model-{i}")];
        _patterned = [.. Enumerable.Range(0, FirstSightNames).Select(i => $"gpt-experimental-{i}")];

        // Bare catalog ids that resolve through the catalog (not azure/bedrock-only ids, which fall to patterns).
        var probe = NewResolver();
        _cataloged = [.. _runtime.Catalog.Models.Select(m => m.Id).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(id => Resolves(probe, id, "catalog")).Take(CatalogNames)];
        if (_cataloged.Length != CatalogNames) throw new InvalidOperationException($"the catalog has only {_cataloged.Length} bare ids that resolve by catalog");
        if (!Resolves(probe, _prefixed[0], "prefix") || !Resolves(probe, _patterned[0], "pattern"))
            throw new InvalidOperationException("the first-sight names do not take the path they are meant to");
        _runtime.Resolver.Resolve(Payloads.Model);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _runtime?.Dispose();
        GC.SuppressFinalize(this);
    }

    [IterationSetup(Targets = [nameof(FirstSightPrefix), nameof(FirstSightPattern), nameof(FirstSightCatalog)])]
    public void FreshResolver() => _fresh = NewResolver();

    /// <summary>Every request after the first for a name: one dictionary lookup.</summary>
    [Benchmark(Baseline = true)]
    public ModelResolution ResolveCached() => _runtime.Resolver.Resolve(Payloads.Model);

    /// <summary><c>openrouter/vendor/model-N</c>: provider from the prefix, catalog miss.</summary>
    [Benchmark(OperationsPerInvoke = FirstSightNames)]
    public ModelResolution FirstSightPrefix()
    {
        ModelResolution last = null!;
        foreach (var name in _prefixed) last = _fresh.Resolve(name);
        return last;
    }

    /// <summary><c>gpt-experimental-N</c>: not in the catalog, placed by the <c>gpt-</c> pattern.</summary>
    [Benchmark(OperationsPerInvoke = FirstSightNames)]
    public ModelResolution FirstSightPattern()
    {
        ModelResolution last = null!;
        foreach (var name in _patterned) last = _fresh.Resolve(name);
        return last;
    }

    /// <summary>Bare ids the shipped catalog knows (<c>gpt-4o-mini</c>, <c>claude-sonnet-4-5</c>, ...).</summary>
    [Benchmark(OperationsPerInvoke = CatalogNames)]
    public ModelResolution FirstSightCatalog()
    {
        ModelResolution last = null!;
        foreach (var name in _cataloged) last = _fresh.Resolve(name);
        return last;
    }

    /// <summary>An unknown name is never remembered, so every request with it pays for the 404 again.</summary>
    [Benchmark]
    public string? ResolveUnknown()
    {
        try
        {
            return _runtime.Resolver.Resolve("no-such-model").Model;
        }
        catch (SwitchboardException e)
        {
            return e.Code;
        }
    }

    [Benchmark]
    public ProviderDescriptor? MatchPatternFirstRule() => KnownProviders.MatchPattern("claude-sonnet-4-5");

    [Benchmark]
    public ProviderDescriptor? MatchPatternGpt() => KnownProviders.MatchPattern(Payloads.Model);

    [Benchmark]
    public ProviderDescriptor? MatchPatternLastRule() => KnownProviders.MatchPattern("pixtral-large-latest");

    /// <summary>No pattern matches: every one of the 14 prefixes is tried.</summary>
    [Benchmark]
    public ProviderDescriptor? MatchPatternNone() => KnownProviders.MatchPattern("llama-3.1-8b-instant");

    private ModelResolver NewResolver() => new(_runtime.Providers, _runtime.Catalog, _runtime.Options.Aliases);

    private static bool Resolves(ModelResolver resolver, string name, string matchedBy)
    {
        try
        {
            return resolver.Resolve(name).MatchedBy == matchedBy;
        }
        catch (SwitchboardException)
        {
            return false;
        }
    }
}
