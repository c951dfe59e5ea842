using System.Collections.Concurrent;
using Switchboard.Catalog;
using Switchboard.Configuration;

namespace Switchboard.Providers;

/// <summary>
/// Works out the provider and model from a requested name: an alias is followed first; then
/// <c>provider/model</c> always wins; a bare name is looked up in the catalog, then matched by pattern.
/// Answers are remembered, so a name is worked out once.
/// </summary>
public sealed class ModelResolver
{
    private const int MaxAliasDepth = 8;
    private const int MaxRemembered = 4096;

    private readonly ProviderRegistry _providers;
    private readonly ModelCatalog _catalog;
    private readonly IReadOnlyDictionary<string, string> _aliases;
    private readonly string _providerList;
    private readonly ConcurrentDictionary<string, ModelResolution> _resolved = new(StringComparer.Ordinal);

    public ModelResolver(ProviderRegistry providers, ModelCatalog catalog, IReadOnlyDictionary<string, string> aliases)
    {
        _providers = providers;
        _catalog = catalog;
        _aliases = aliases;
        _providerList = string.Join(", ", providers.All.Select(p => p.Name));
        foreach (var alias in aliases.Keys) FollowAliases(alias);
    }

    /// <summary>The provider and model for <paramref name="requested"/>; an unknown name is a 404 that says how to write one.</summary>
    public ModelResolution Resolve(string requested)
    {
        if (_resolved.TryGetValue(requested, out var known)) return known;
        var resolution = Work(requested);
        if (_resolved.Count < MaxRemembered) _resolved.TryAdd(requested, resolution);
        return resolution;
    }

    private ModelResolution Work(string requested)
    {
        var (name, via) = FollowAliases(requested);
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && FindProvider(name[..slash]) is { } prefixed)
        {
            var model = name[(slash + 1)..];
            if (model.Length == 0)
                throw new SwitchboardException(ErrorCategory.BadRequest, 400, $"'{requested}' names the provider {prefixed.Name} but no model: write {prefixed.Name}/<model>.", "model", "model_not_found");
            return new ModelResolution(requested, prefixed, model, via + "prefix", _catalog.Find(prefixed, model));
        }

        if (_catalog.FindBare(name) is { } entry && _providers.Find(entry.Provider) is { } cataloged)
            return new ModelResolution(requested, cataloged, entry.Id, via + "catalog", entry);

        if (KnownProviders.MatchPattern(name) is { } descriptor && _providers.Find(descriptor.Name) is { } patterned)
            return new ModelResolution(requested, patterned, name, via + "pattern", _catalog.Find(patterned, name));

        throw new SwitchboardException(ErrorCategory.NotFound, 404,
            $"Unknown model '{requested}'. Write it as provider/model, for example openai/gpt-4o-mini or openrouter/anthropic/claude-sonnet-4. " +
            $"Providers: {_providerList}. Or add it to models: or aliases: in {ConfigLoader.DefaultFileName}.",
            "model", "model_not_found");
    }

    private Provider? FindProvider(string prefix) =>
        _providers.Find(prefix) ?? (KnownProviders.Find(prefix) is { } known ? _providers.Find(known.Name) : null);

    private (string Name, string Via) FollowAliases(string requested)
    {
        var name = requested;
        var via = "";
        for (var depth = 0; _aliases.TryGetValue(name, out var target); depth++)
        {
            if (depth == MaxAliasDepth || string.Equals(target, requested, StringComparison.OrdinalIgnoreCase))
                throw new ConfigException($"aliases: '{requested}' leads round in a loop ({via}{name}); point it at a model.");
            via += $"alias {name} → ";
            name = target;
        }
        return (name, via);
    }
}
