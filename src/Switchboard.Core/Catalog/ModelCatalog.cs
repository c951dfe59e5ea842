using System.Text.Json;
using Switchboard.Configuration;
using Switchboard.Providers;

namespace Switchboard.Catalog;

/// <summary>
/// The models Switchboard knows: the shipped catalog (a data file in the assembly, no network), with the
/// config's <c>models:</c> added or laid over it.
/// </summary>
public sealed class ModelCatalog
{
    private readonly Dictionary<(string Provider, string Id), CatalogModel> _byProvider = new(ProviderModelComparer.Instance);
    private readonly Dictionary<string, CatalogModel> _byBareId = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CatalogModel> _models = [];

    /// <summary>Config entries named <c>provider/*</c>: what they say holds for every model of that provider the catalog does not list.</summary>
    private readonly Dictionary<string, CatalogModel> _wildcards = new(StringComparer.OrdinalIgnoreCase);

    private ModelCatalog(string pricesTaken) => PricesTaken = pricesTaken;

    /// <summary>The date the shipped prices were taken from the providers' pages.</summary>
    public string PricesTaken { get; }

    public IReadOnlyList<CatalogModel> Models => _models;

    /// <summary>The shipped catalog with the config's models laid over it.</summary>
    public static ModelCatalog Create(IEnumerable<ModelOptions> configured)
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream("Switchboard.Catalog.catalog.json")
            ?? throw new InvalidOperationException("The shipped catalog is missing from the assembly.");
        var file = JsonSerializer.Deserialize(stream, CatalogJsonContext.Default.CatalogFile)!;
        var catalog = new ModelCatalog(file.PricesTaken);
        foreach (var model in file.Models) catalog.Add(model);
        foreach (var options in configured)
        {
            var model = Merge(options, catalog);
            if (model.Id == "*") catalog._wildcards[model.Provider] = model;
            else catalog.Add(model);
        }
        return catalog;
    }

    /// <summary>The model a provider serves under this id, looked up by the provider's name, then its kind.</summary>
    public CatalogModel? Find(Provider provider, string id) =>
        _byProvider.GetValueOrDefault((provider.Name, id)) ?? _byProvider.GetValueOrDefault((provider.Descriptor.Name, id))
        ?? (_wildcards.TryGetValue(provider.Name, out var wildcard) ? wildcard with { Id = id } : null);

    /// <summary>The first model with this id served directly by its maker (not through Azure or Bedrock).</summary>
    public CatalogModel? FindBare(string id) => _byBareId.GetValueOrDefault(id);

    private void Add(CatalogModel model)
    {
        var key = (model.Provider, model.Id);
        if (_byProvider.TryGetValue(key, out var existing)) _models[_models.IndexOf(existing)] = model;
        else _models.Add(model);
        _byProvider[key] = model;
        // The first provider to list an id owns its bare name; a later override of that same model takes its place.
        if (model.Provider is not ("azure" or "bedrock")
            && (!_byBareId.TryGetValue(model.Id, out var bare) || ProviderModelComparer.Instance.Equals((bare.Provider, bare.Id), key)))
        {
            _byBareId[model.Id] = model;
        }
    }

    /// <summary>Places a configured model and lays its settings over what the catalog already says of it.</summary>
    private static CatalogModel Merge(ModelOptions options, ModelCatalog catalog)
    {
        var (provider, id) = Place(options, catalog);
        var known = catalog._byProvider.GetValueOrDefault((provider, id));
        return new CatalogModel
        {
            Id = id,
            Provider = provider,
            ContextWindow = options.ContextWindow ?? known?.ContextWindow,
            MaxOutputTokens = options.MaxOutputTokens ?? known?.MaxOutputTokens,
            InputPerMtok = options.InputPerMtok ?? known?.InputPerMtok,
            OutputPerMtok = options.OutputPerMtok ?? known?.OutputPerMtok,
            CachedInputPerMtok = options.CachedInputPerMtok ?? known?.CachedInputPerMtok,
            CacheWritePerMtok = options.CacheWritePerMtok ?? known?.CacheWritePerMtok,
            ReasoningPerMtok = options.ReasoningPerMtok ?? known?.ReasoningPerMtok,
            Capabilities = options.Capabilities ?? known?.Capabilities ?? [],
            Defaults = options.Defaults,
            DropUnsupported = options.DropUnsupported,
            Timeout = options.Timeout,
        };
    }

    private static (string Provider, string Id) Place(ModelOptions options, ModelCatalog catalog)
    {
        if (options.Provider is { } provider) return (provider, options.Name);
        var slash = options.Name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var prefix = options.Name[..slash];
            return (KnownProviders.Find(prefix)?.Name ?? prefix, options.Name[(slash + 1)..]);
        }
        if (catalog.FindBare(options.Name) is { } known) return (known.Provider, known.Id);
        if (KnownProviders.MatchPattern(options.Name) is { } descriptor) return (descriptor.Name, options.Name);
        throw new ConfigException($"models: '{options.Name}' does not say its provider. Write it as provider/model or add provider: to the entry.");
    }

    private sealed class ProviderModelComparer : IEqualityComparer<(string Provider, string Id)>
    {
        public static readonly ProviderModelComparer Instance = new();

        public bool Equals((string Provider, string Id) x, (string Provider, string Id) y) =>
            string.Equals(x.Provider, y.Provider, StringComparison.OrdinalIgnoreCase) && string.Equals(x.Id, y.Id, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Provider, string Id) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Provider), StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Id));
    }
}
