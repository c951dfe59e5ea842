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
        var missing = new List<MissingSetting>();

        // Config-given keys replace the conventional variables; among those, any one of the alternatives will do.
        IReadOnlyList<SecretReference> sources = entry.ApiKeys.Count > 0
            ? entry.ApiKeys
            : descriptor.KeyVariables.Select(SecretReference.FromVariable).ToList();
        var keys = new List<string>();
        foreach (var source in sources)
        {
            if (source.Resolve(environment) is { } value) keys.AddRange(SplitKeys(value));
        }
        if (keys.Count == 0 && sources.Count > 0)
        {
            if (sources.FirstOrDefault(s => s.Variable is not null)?.Variable is { } variable)
            {
                var alternatives = entry.ApiKeys.Count == 0 ? descriptor.KeyVariables.Skip(1).ToList() : null;
                missing.Add(new MissingSetting(variable, descriptor.KeyExample.Length > 0 ? descriptor.KeyExample : "...", alternatives));
            }
            else
            {
                problems.Add($"providers.{entry.Name}.api_key is empty: write the key, or env:NAME to read it from a variable.");
            }
        }

        var baseUrl = entry.BaseUrl
            ?? (descriptor.BaseUrlVariable is { } urlVariable ? environment(urlVariable)?.Trim().TrimEnd('/') : null)
            ?? descriptor.DefaultBaseUrl;
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (variable, example) in descriptor.OtherVariables)
        {
            var value = variable == descriptor.BaseUrlVariable ? baseUrl : environment(variable)?.Trim();
            if (string.IsNullOrWhiteSpace(value)) missing.Add(new MissingSetting(variable, example));
            else settings[variable] = value;
        }
        foreach (var variable in descriptor.OptionalVariables)
        {
            if (environment(variable)?.Trim() is { Length: > 0 } value) settings[variable] = value;
        }
        // A default base URL may name a setting, as Bedrock's names its region; unfilled, it is no URL at all.
        if (baseUrl is not null && baseUrl.Contains('{', StringComparison.Ordinal))
        {
            foreach (var (variable, value) in settings) baseUrl = baseUrl.Replace("{" + variable + "}", value, StringComparison.Ordinal);
            if (baseUrl.Contains('{', StringComparison.Ordinal)) baseUrl = null;
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
            else if (reference.Variable is { } variable) missing.Add(new MissingSetting(variable, "..."));
        }

        return new Provider(entry.Name, descriptor, uri, new CredentialPool(keys, time), sources, headers, AdapterFor(descriptor, entry), missing, fromConfig, handlerFactory)
        {
            Settings = settings,
        };
    }

    /// <summary>The adapter that speaks the provider's API; null where Switchboard cannot call it yet.</summary>
    private static IChatAdapter? AdapterFor(ProviderDescriptor descriptor, ProviderOptions entry) => descriptor.Name switch
    {
        "anthropic" => Anthropic.AnthropicAdapter.Instance,
        "google" => Gemini.GeminiAdapter.Instance,
        "bedrock" => Bedrock.BedrockAdapter.Instance,
        "azure" => new Azure.AzureOpenAIAdapter(entry.ApiVersion),
        "ollama" when entry.Api == "native" => Ollama.OllamaAdapter.Instance,
        KnownProviders.CommandType => new Command.CommandAdapter(entry),
        _ when descriptor.Dialect == WireDialect.OpenAI => OpenAICompatibleAdapter.Instance,
        _ => null,
    };

    private static IEnumerable<string> SplitKeys(string value) =>
        value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
