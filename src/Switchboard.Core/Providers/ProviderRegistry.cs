using Switchboard.Configuration;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Providers;

/// <summary>
/// Every provider this gateway can call: the known ones (enabled by whichever key variables are set)
/// and those the config adds or changes. Built once at start; keys are read from the environment then.
/// </summary>
public sealed class ProviderRegistry : IDisposable
{
    private readonly Dictionary<string, Provider> _providers = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="handlerFactory">Makes the HTTP handler of each provider; tests and benchmarks may pass their own.</param>
    public ProviderRegistry(SwitchboardOptions options, TimeProvider time, Func<string, string?> environment, Func<HttpMessageHandler>? handlerFactory = null)
    {
        var problems = new List<string>();
        var configured = options.Providers.ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var descriptor in KnownProviders.All)
        {
            if (configured.ContainsKey(descriptor.Name)) continue;
            Add(Build(new ProviderOptions { Name = descriptor.Name }, descriptor, fromConfig: false, time, environment, handlerFactory, problems));
        }
        foreach (var entry in options.Providers)
        {
            var descriptor = KnownProviders.Find(entry.Type ?? entry.Name)!;
            Add(Build(entry, descriptor, fromConfig: true, time, environment, handlerFactory, problems));
        }
        if (problems.Count > 0) throw new ConfigException(problems.Select(p => $"{options.SourcePath ?? ConfigLoader.DefaultFileName}: {p}").ToList());
    }

    /// <summary>Every provider, known ones first in their listed order, then those only the config names.</summary>
    public IReadOnlyCollection<Provider> All => _providers.Values;

    public Provider? Find(string name) => _providers.GetValueOrDefault(name);

    public void Dispose()
    {
        foreach (var provider in _providers.Values) provider.Dispose();
    }

    private void Add(Provider provider) => _providers[provider.Name] = provider;

    private static Provider Build(ProviderOptions entry, ProviderDescriptor descriptor, bool fromConfig, TimeProvider time,
        Func<string, string?> environment, Func<HttpMessageHandler>? handlerFactory, List<string> problems)
    {
        var missing = new List<string>();

        var keys = new List<string>();
        IReadOnlyList<SecretReference> sources = entry.ApiKeys.Count > 0
            ? entry.ApiKeys
            : descriptor.KeyVariables.Select(SecretReference.FromVariable).ToList();
        foreach (var source in sources)
        {
            if (source.Resolve(environment) is { } value) keys.AddRange(SplitKeys(value));
        }
        // Config-given keys replace the conventional variables; with those, any one of the alternatives will do.
        if (keys.Count == 0 && (entry.ApiKeys.Count > 0 || descriptor.NeedsKey))
        {
            var variable = sources.FirstOrDefault(s => s.Variable is not null)?.Variable;
            var alternatives = entry.ApiKeys.Count == 0 && descriptor.KeyVariables.Count > 1
                ? $" ({string.Join(" or ", descriptor.KeyVariables.Skip(1))} works too)"
                : "";
            missing.Add(variable is null
                ? $"api_key of provider {entry.Name} for model {{model}}. Set it in the config: providers.{entry.Name}.api_key: env:{entry.Name.ToUpperInvariant()}_API_KEY"
                : $"{variable} for model {{model}}. Set it: export {variable}={Example(descriptor)}{alternatives}");
        }

        var baseUrl = entry.BaseUrl
            ?? (descriptor.BaseUrlVariable is { } urlVariable ? environment(urlVariable)?.Trim().TrimEnd('/') : null)
            ?? descriptor.DefaultBaseUrl;
        foreach (var (variable, example) in descriptor.OtherVariables)
        {
            if (variable == descriptor.BaseUrlVariable)
            {
                if (string.IsNullOrWhiteSpace(baseUrl)) missing.Add($"{variable} for model {{model}}. Set it: export {variable}={example}");
            }
            else if (string.IsNullOrWhiteSpace(environment(variable)))
            {
                missing.Add($"{variable} for model {{model}}. Set it: export {variable}={example}");
            }
        }
        if (baseUrl is null && descriptor == KnownProviders.Compatible)
            problems.Add($"providers.{entry.Name} is of type {KnownProviders.OpenAICompatible} and needs a base_url, such as http://127.0.0.1:8000/v1.");

        Uri? uri = null;
        if (baseUrl is not null && !Uri.TryCreate(baseUrl, UriKind.Absolute, out uri))
            problems.Add($"the base URL of provider {entry.Name} ('{baseUrl}') is not an absolute URL.");

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (name, reference) in entry.Headers)
        {
            if (reference.Resolve(environment) is { } value) headers.Add(new(name, value));
            else missing.Add($"{reference.Variable} (header {name} of provider {entry.Name}) for model {{model}}. Set it: export {reference.Variable}=...");
        }

        return new Provider(entry.Name, descriptor, uri, new CredentialPool(keys, time), headers, AdapterFor(descriptor),
            missing.Count == 0 ? null : string.Join(" Also missing: ", missing), fromConfig, handlerFactory);
    }

    private static IChatAdapter? AdapterFor(ProviderDescriptor descriptor) =>
        descriptor.Dialect == WireDialect.OpenAI && descriptor != KnownProviders.Azure ? OpenAICompatibleAdapter.Instance : null;

    private static string Example(ProviderDescriptor descriptor) => descriptor.KeyExample.Length > 0 ? descriptor.KeyExample : "...";

    private static IEnumerable<string> SplitKeys(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
