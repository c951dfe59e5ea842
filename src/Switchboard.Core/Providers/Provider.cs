using System.Net;
using Switchboard.Configuration;

namespace Switchboard.Providers;

/// <summary>
/// A provider as this gateway runs it: its kind, its base URL, its keys, its extra headers and the one
/// HTTP connection pool all calls to it share.
/// </summary>
public sealed class Provider : IDisposable
{
    private readonly Lazy<HttpMessageInvoker> _http;

    internal Provider(string name, ProviderDescriptor descriptor, Uri? baseUrl, CredentialPool credentials, IReadOnlyList<SecretReference> keySources,
        IReadOnlyList<KeyValuePair<string, string>> headers, IChatAdapter? adapter, IReadOnlyList<MissingSetting> missing, bool fromConfig, Func<HttpMessageHandler>? handlerFactory)
    {
        KeySources = keySources;
        Missing = missing;
        FromConfig = fromConfig;
        Name = name;
        Descriptor = descriptor;
        BaseUrl = baseUrl;
        ChatUrl = baseUrl is null ? null : new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + descriptor.ChatPath);
        Credentials = credentials;
        Headers = headers;
        Adapter = adapter;
        _http = new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(handlerFactory?.Invoke() ?? CreateHandler(), disposeHandler: true));
    }

    /// <summary>The name clients write before the model: <c>name/model</c>.</summary>
    public string Name { get; }

    public ProviderDescriptor Descriptor { get; }

    public Uri? BaseUrl { get; }

    /// <summary>The chat endpoint: the base URL and the provider kind's chat path.</summary>
    public Uri? ChatUrl { get; }

    public CredentialPool Credentials { get; }

    /// <summary>Where the keys are read from, in order (<c>env:NAME</c> or <c>(inline)</c>, never a value); empty when none is needed.</summary>
    public IReadOnlyList<SecretReference> KeySources { get; }

    /// <summary>
    /// The values of the provider's other variables (<see cref="ProviderDescriptor.OtherVariables"/> and
    /// <see cref="ProviderDescriptor.OptionalVariables"/>) that are set, such as AWS's secret and region. Secrets among them are never shown.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The variables a call needs that are not set.</summary>
    public IReadOnlyList<MissingSetting> Missing { get; }

    /// <summary>Headers sent with every call, from config (OpenRouter's <c>HTTP-Referer</c>, <c>X-Title</c>, ...).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The adapter that speaks this provider's API, or null when Switchboard cannot call it yet.</summary>
    public IChatAdapter? Adapter { get; }

    public HttpMessageInvoker Http => _http.Value;

    /// <summary>Whether every credential and setting a call needs is present.</summary>
    public bool IsConfigured => Missing.Count == 0;

    /// <summary>True when the config names this provider, rather than it being known by default.</summary>
    public bool FromConfig { get; }

    /// <summary>
    /// Ready to take calls and chosen by the user: a keyed provider whose key is set, or a keyless one
    /// (Ollama, a local server) the config names. A keyless provider nobody configured is not assumed to be running.
    /// </summary>
    public bool IsEnabled => IsConfigured && Adapter is not null && (Descriptor.NeedsKey || FromConfig);

    /// <summary>Fails before any call when a key or setting is missing, naming the model, the variable and the fix.</summary>
    public void EnsureCallable(string model)
    {
        if (Missing.Count > 0) throw MissingError(model);
        if (Adapter is null)
        {
            throw new SwitchboardException(ErrorCategory.BadRequest, 501,
                $"Switchboard cannot call {Descriptor.DisplayName} yet (model {model}): its {Descriptor.Dialect} adapter is not built. Use an OpenAI-compatible provider, or openrouter/<vendor>/<model>.",
                "model", "provider_not_supported")
            {
                Provider = Name,
            };
        }
    }

    private SwitchboardException MissingError(string model) =>
        new(ErrorCategory.Authentication, 401, "Missing " + string.Join(" Also missing ", Missing.Select(m => m.Describe(model))), code: "missing_api_key")
        {
            Provider = Name,
        };

    public void Dispose()
    {
        if (_http.IsValueCreated) _http.Value.Dispose();
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        // Bodies pass through as bytes, so they must arrive as the provider sent them.
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        EnableMultipleHttp2Connections = true,
        MaxConnectionsPerServer = int.MaxValue,
    };
}
