using System.Globalization;
using System.Text.Json;
using Switchboard.Providers;
using Switchboard.Providers.Command;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchboard.Configuration;

/// <summary>
/// Loads <c>switchboard.yaml</c>. Unknown keys and wrong types are errors that name the file, line and key;
/// all problems are reported together.
/// </summary>
public static class ConfigLoader
{
    public const string DefaultFileName = "switchboard.yaml";

    private static readonly string[] TopLevel = ["server", "providers", "models", "aliases", "drop_unsupported", "resilience", "routes", "agents", "workflows", "storage", "budgets", "telemetry", "jobs"];
    private static readonly string[] BudgetsKeys = ["providers", "models"];
    private static readonly string[] BudgetKeys = ["usd", "period"];
    private static readonly string[] ServerKeys = ["host", "port", "master_key", "max_request_body"];
    private static readonly string[] ProviderKeys = ["type", "base_url", "api_key", "headers", "api_version", "api", "command", "timeout", "output"];

    /// <summary>The keys that belong to one kind of provider only, and that kind.</summary>
    private static readonly (string Key, string Type)[] KindKeys =
    [
        ("api_version", "azure"), ("api", "ollama"),
        ("command", KnownProviders.CommandType), ("timeout", KnownProviders.CommandType), ("output", KnownProviders.CommandType),
    ];

    /// <summary>What a command provider has no use for: it runs a local program, it calls no URL.</summary>
    private static readonly string[] NotForCommands = ["base_url", "api_key", "headers"];
    private static readonly string[] ModelKeys =
    [
        "name", "provider", "input_per_mtok", "output_per_mtok", "cached_input_per_mtok", "cache_write_per_mtok",
        "reasoning_per_mtok", "context_window", "max_output_tokens", "capabilities", "defaults", "drop_unsupported", "timeout",
    ];
    private static readonly string[] ResilienceKeys = ["timeout", "response_timeout", "total_timeout", "retries", "retry_delay", "max_retry_delay", "circuit_breaker", "probe_interval"];
    private static readonly string[] JobsKeys = ["provider", "model_name", "workers", "provider_concurrency", "lease", "poll_interval", "max_attempts", "webhook_secret"];
    private static readonly string[] CircuitBreakerKeys = ["failure_ratio", "minimum_requests", "sampling_window", "break"];

    /// <summary>
    /// Loads the file at <paramref name="path"/>; with no path, <c>switchboard.yaml</c> when it exists,
    /// and otherwise the defaults (no config at all is a working setup). Relative paths are taken from
    /// <paramref name="directory"/>, the current directory by default; problems name the path as given.
    /// </summary>
    public static SwitchboardOptions Load(string? path, Func<string, string?>? environment = null, string? directory = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var shown = path ?? DefaultFileName;
        var full = Path.GetFullPath(shown, directory ?? Directory.GetCurrentDirectory());
        if (!File.Exists(full))
        {
            if (path is not null) throw new ConfigException($"{path}: no such file. Check the path given to --config.");
            return Parse("", shown, environment) with { SourcePath = null };
        }
        return Parse(File.ReadAllText(full), shown, environment);
    }

    public static SwitchboardOptions Parse(string yaml, string file, Func<string, string?> environment)
    {
        var problems = new ConfigProblems(file);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, "this is not valid YAML: " + (e.InnerException?.Message ?? e.Message));
            problems.ThrowIfAny();
        }

        var options = new SwitchboardOptions { SourcePath = file };
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            return options with { Server = options.Server with { MasterKey = DefaultMasterKey } };

        if (stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            problems.Add(stream.Documents[0].RootNode.Start, "the file must be a mapping of sections (server:, providers:, models:, ...).");
            problems.ThrowIfAny();
            return options;
        }

        var root = new YamlMap(rootNode, "", problems);
        root.RejectUnknown(TopLevel);
        options = options with
        {
            Server = ReadServer(root.Map("server"), environment),
            Providers = ReadProviders(root.Map("providers"), problems),
            Models = ReadModels(root, problems),
            Aliases = ReadAliases(root.Map("aliases")),
            DropUnsupported = root.Bool("drop_unsupported") ?? true,
            Resilience = ReadResilience(root.Map("resilience")),
            Routes = RouteConfig.ReadRoutes(root.Map("routes"), problems),
            Agents = RouteConfig.ReadAgents(root.Map("agents"), problems),
            Workflows = RouteConfig.ReadWorkflows(root.Map("workflows"), problems),
            Storage = root.String("storage") is { Length: > 0 } storage ? SecretReference.Parse(storage) : options.Storage,
            Telemetry = ReadTelemetry(root.Map("telemetry")),
            Budgets = ReadBudgets(root.Map("budgets")),
            Jobs = ReadJobs(root.Map("jobs")),
        };
        problems.ThrowIfAny();
        return options;
    }

    private static SecretReference DefaultMasterKey => SecretReference.FromVariable("SWITCHBOARD_MASTER_KEY");

    private static ServerOptions ReadServer(YamlMap? map, Func<string, string?> environment)
    {
        var server = new ServerOptions { MasterKey = DefaultMasterKey };
        if (map is null) return server;
        map.RejectUnknown(ServerKeys);
        return server with
        {
            Host = map.String("host") ?? server.Host,
            Port = map.Int("port", 0, 65535) ?? server.Port,
            MasterKey = map.String("master_key") is { } key ? SecretReference.Parse(key) : server.MasterKey,
            MaxRequestBodyBytes = map.Size("max_request_body") ?? server.MaxRequestBodyBytes,
        };
    }

    private static List<ProviderOptions> ReadProviders(YamlMap? map, ConfigProblems problems)
    {
        var providers = new List<ProviderOptions>();
        if (map is null) return providers;
        foreach (var (name, value, start) in map.Entries)
        {
            if (value is not YamlMappingNode node)
            {
                problems.Add(start, $"providers.{name} must be a mapping such as {{ api_key: env:{name.ToUpperInvariant()}_API_KEY }}.");
                continue;
            }
            if (name.Contains('/') || name.Length == 0)
            {
                problems.Add(start, $"provider name '{name}' may not be empty or contain '/': clients write it as '{name}/model'.");
                continue;
            }
            var entry = new YamlMap(node, "providers." + name, problems);
            entry.RejectUnknown(ProviderKeys);
            var type = entry.String("type");
            if (type is null && KnownProviders.Find(name) is null)
                entry.Problem(node, $"providers.{name} is not a provider Switchboard knows, so it needs a type: {string.Join(", ", KnownProviders.Types)}.");
            else if (type is not null && !KnownProviders.Types.Contains(type))
                entry.Problem(entry.Node("type")!, $"providers.{name}.type '{type}' is not one of: {string.Join(", ", KnownProviders.Types)}.");

            var baseUrl = entry.String("base_url");
            if (baseUrl is not null && (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                entry.Problem(entry.Node("base_url")!, $"providers.{name}.base_url must be an http:// or https:// URL, not '{baseUrl}'.");

            var headers = new Dictionary<string, SecretReference>(StringComparer.OrdinalIgnoreCase);
            if (entry.Map("headers") is { } headerMap)
            {
                foreach (var (header, headerValue, headerStart) in headerMap.Entries)
                {
                    if (headerValue is YamlScalarNode { Value: { } text }) headers[header] = SecretReference.Parse(text);
                    else problems.Add(headerStart, $"providers.{name}.headers.{header} must be a single value.");
                }
            }

            var kind = KnownProviders.Find(type ?? name)?.Name;
            var provider = new ProviderOptions
            {
                Name = name,
                Type = type,
                BaseUrl = baseUrl?.TrimEnd('/'),
                ApiKeys = entry.Strings("api_key")?.Select(SecretReference.Parse).ToList() ?? [],
                Headers = headers,
                ApiVersion = ReadApiVersion(entry),
                Api = OneOf(entry, "api", "openai", "native"),
                Command = ReadCommand(entry),
                Timeout = ReadTimeout(entry),
                Output = OneOf(entry, "output", "stdout", "file"),
            };
            CheckKindKeys(entry, node, provider, kind);
            providers.Add(provider);
        }
        return providers;
    }

    /// <summary>A key of one kind of provider on another is a mistake worth naming, not something to ignore.</summary>
    private static void CheckKindKeys(YamlMap entry, YamlMappingNode node, ProviderOptions provider, string? kind)
    {
        if (kind is null) return;
        var name = provider.Name;
        foreach (var (key, type) in KindKeys)
        {
            if (kind != type && entry.Node(key) is { } value)
                entry.Problem(value, $"providers.{name}.{key} applies only to providers of type {type}; {name} is of type {kind}.");
        }
        if (kind != KnownProviders.CommandType) return;
        foreach (var key in NotForCommands)
        {
            if (entry.Node(key) is { } value)
                entry.Problem(value, $"providers.{name}.{key} does not apply to type command: it runs a local program, set by command: [program, arg, ...].");
        }
        if (entry.Node("command") is null)
            entry.Problem(node, $"providers.{name} is of type command and needs a command, such as command: [claude, -p, \"{{prompt}}\", --model, \"{{model}}\"].");
        else if (provider is { Output: "file", Command: { } command } && !command.Any(a => a.Contains(CommandPlaceholders.OutputFile, StringComparison.Ordinal)))
            entry.Problem(entry.Node("output")!, $"providers.{name}.output is file, so the command must write its answer to {CommandPlaceholders.OutputFile}: put {CommandPlaceholders.OutputFile} among its arguments.");
    }

    private static string? OneOf(YamlMap entry, string key, params string[] allowed)
    {
        var value = entry.String(key);
        if (value is null || allowed.Contains(value, StringComparer.Ordinal)) return value;
        entry.Problem(entry.Node(key)!, $"{entry.Join(key)} must be one of {string.Join(", ", allowed)}, not '{value}'.");
        return null;
    }

    private static string? ReadApiVersion(YamlMap entry)
    {
        var version = entry.String("api_version");
        if (version is null) return null;
        // Dated versions (2024-10-21, 2025-04-01-preview) or Azure's versionless v1; anything else is a typo that would 404.
        if (version == "v1" || System.Text.RegularExpressions.Regex.IsMatch(version, @"^\d{4}-\d{2}-\d{2}(-preview)?$")) return version;
        entry.Problem(entry.Node("api_version")!, $"{entry.Join("api_version")} must be a dated Azure OpenAI API version such as 2024-10-21 (or 2025-04-01-preview), or v1, not '{version}'.");
        return null;
    }

    /// <summary>
    /// The program and its arguments as a list: each item is one argument, never split by a shell, so a prompt with
    /// spaces or quotes reaches the program as it is.
    /// </summary>
    private static IReadOnlyList<string>? ReadCommand(YamlMap entry)
    {
        var node = entry.Node("command");
        if (node is null) return null;
        var example = $"[claude, -p, \"{CommandPlaceholders.Prompt}\", --model, \"{CommandPlaceholders.Model}\"]";
        if (node is not YamlSequenceNode list || list.Children.Count == 0 || !list.Children.All(c => c is YamlScalarNode))
        {
            var why = node is YamlScalarNode ? "; a single string is not split into arguments, since no shell is involved" : "";
            entry.Problem(node, $"{entry.Join("command")} must be a list of the program and its arguments, such as {example}{why}.");
            return null;
        }
        var items = list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
        if (string.IsNullOrWhiteSpace(items[0]))
        {
            entry.Problem(list.Children[0], $"{entry.Join("command")} starts with the program to run, such as {example}; the first item is empty.");
            return null;
        }
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var unknown in CommandPlaceholders.Unknown(items[i]))
                entry.Problem(list.Children[i], $"{entry.Join("command")}[{i}] has the placeholder {unknown}, which is not one of: {string.Join(", ", CommandPlaceholders.All)}.");
        }
        return items;
    }

    private static TimeSpan? ReadTimeout(YamlMap entry) => Positive(entry, "timeout");

    /// <summary>A duration that must be longer than zero, such as a timeout.</summary>
    internal static TimeSpan? Positive(YamlMap map, string key)
    {
        var duration = map.Duration(key);
        if (duration is { } value && value <= TimeSpan.Zero)
        {
            map.Problem(map.Node(key)!, $"{map.Join(key)} must be longer than 0, such as 10s or 2m.");
            return null;
        }
        return duration;
    }

    private static List<ModelOptions> ReadModels(YamlMap root, ConfigProblems problems)
    {
        var models = new List<ModelOptions>();
        var node = root.Node("models");
        if (node is null) return models;
        if (node is not YamlSequenceNode list)
        {
            root.Problem(node, "models must be a list: - { name: provider/model, input_per_mtok: 1.0, output_per_mtok: 2.0 }");
            return models;
        }
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (list.Children[i] is not YamlMappingNode item)
            {
                problems.Add(list.Children[i].Start, $"models[{i}] must be a mapping with at least a name.");
                continue;
            }
            var entry = new YamlMap(item, $"models[{i}]", problems);
            entry.RejectUnknown(ModelKeys);
            var name = entry.String("name");
            if (string.IsNullOrWhiteSpace(name))
            {
                entry.Problem(item, $"models[{i}] needs a name, such as deepseek/deepseek-chat.");
                continue;
            }
            models.Add(new ModelOptions
            {
                Name = name,
                Provider = entry.String("provider"),
                InputPerMtok = entry.Decimal("input_per_mtok"),
                OutputPerMtok = entry.Decimal("output_per_mtok"),
                CachedInputPerMtok = entry.Decimal("cached_input_per_mtok"),
                CacheWritePerMtok = entry.Decimal("cache_write_per_mtok"),
                ReasoningPerMtok = entry.Decimal("reasoning_per_mtok"),
                ContextWindow = entry.Int("context_window", 1),
                MaxOutputTokens = entry.Int("max_output_tokens", 1),
                Capabilities = entry.Strings("capabilities"),
                Defaults = ReadDefaults(entry.Map("defaults")),
                DropUnsupported = entry.Bool("drop_unsupported"),
                Timeout = ReadTimeout(entry),
            });
        }
        return models;
    }

    private static Dictionary<string, string> ReadDefaults(YamlMap? map)
    {
        var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map is null) return defaults;
        foreach (var (name, value, _) in map.Entries) defaults[name] = ToJson(value);
        return defaults;
    }

    private static Dictionary<string, string> ReadAliases(YamlMap? map)
    {
        var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (map is null) return aliases;
        foreach (var (alias, value, start) in map.Entries)
        {
            if (value is YamlScalarNode { Value: { Length: > 0 } target }) aliases[alias] = target;
            else map.Problem(value, $"aliases.{alias} must name one model, such as claude-sonnet-4-20250514.");
        }
        return aliases;
    }

    private static BudgetsOptions ReadBudgets(YamlMap? map)
    {
        if (map is null) return new BudgetsOptions();
        map.RejectUnknown(BudgetsKeys);
        return new BudgetsOptions { Providers = ReadBudgetList(map.Map("providers"), "openai"), Models = ReadBudgetList(map.Map("models"), "gpt-4.1") };
    }

    private static Dictionary<string, BudgetOptions> ReadBudgetList(YamlMap? map, string example)
    {
        var budgets = new Dictionary<string, BudgetOptions>(StringComparer.OrdinalIgnoreCase);
        if (map is null) return budgets;
        foreach (var (name, value, start) in map.Entries)
        {
            if (value is not YamlMappingNode node)
            {
                map.Problems.Add(start, $"{map.Join(name)} must be a mapping such as {{ usd: 50, period: day }}.");
                continue;
            }
            var entry = new YamlMap(node, map.Join(name), map.Problems);
            entry.RejectUnknown(BudgetKeys);
            var usd = entry.Decimal("usd");
            if (entry.Node("usd") is null) entry.Problem(node, $"{entry.Path} needs usd, the spend allowed per period, such as {map.Path}: {{ {example}: {{ usd: 50, period: day }} }}.");
            var period = OneOf(entry, "period", [.. BudgetOptions.Periods]);
            if (usd is { } amount) budgets[name] = new BudgetOptions { Usd = amount, Period = period ?? "month" };
        }
        return budgets;
    }

    private static TelemetryOptions ReadTelemetry(YamlMap? map)
    {
        var telemetry = new TelemetryOptions();
        if (map is null) return telemetry;
        map.RejectUnknown("otlp_endpoint", "service_name");
        var endpoint = map.String("otlp_endpoint");
        Uri? url = null;
        if (endpoint is not null && (!Uri.TryCreate(endpoint, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            map.Problem(map.Node("otlp_endpoint")!, $"telemetry.otlp_endpoint must be an OTLP/HTTP collector's http:// or https:// URL such as http://127.0.0.1:4318, not '{endpoint}'.");
        return telemetry with { OtlpEndpoint = url, ServiceName = map.String("service_name") ?? telemetry.ServiceName };
    }

    private static JobsOptions ReadJobs(YamlMap? map)
    {
        var jobs = new JobsOptions();
        if (map is null) return jobs;
        map.RejectUnknown(JobsKeys);
        var lease = Positive(map, "lease") ?? jobs.Lease;
        if (lease < TimeSpan.FromSeconds(1))
            map.Problem(map.Node("lease")!, "jobs.lease must be at least 1s: the lease is renewed every third of it.");
        return jobs with
        {
            Provider = map.String("provider"),
            ModelName = map.String("model_name"),
            Workers = map.Int("workers", 1, 1024) ?? jobs.Workers,
            ProviderConcurrency = map.Int("provider_concurrency", 1, 1024) ?? jobs.ProviderConcurrency,
            Lease = lease,
            PollInterval = Positive(map, "poll_interval") ?? jobs.PollInterval,
            MaxAttempts = map.Int("max_attempts", 1, 100) ?? jobs.MaxAttempts,
            WebhookSecret = map.String("webhook_secret") is { Length: > 0 } secret ? SecretReference.Parse(secret) : null,
        };
    }

    private static ResilienceOptions ReadResilience(YamlMap? map)
    {
        var resilience = new ResilienceOptions();
        if (map is null) return resilience;
        map.RejectUnknown(ResilienceKeys);
        var breaker = resilience.CircuitBreaker;
        if (map.Map("circuit_breaker") is { } circuit)
        {
            circuit.RejectUnknown(CircuitBreakerKeys);
            var ratio = circuit.Decimal("failure_ratio");
            if (ratio is > 1 or 0) circuit.Problem(circuit.Node("failure_ratio")!, $"{circuit.Join("failure_ratio")} is a share of calls, more than 0 and at most 1, such as 0.5.");
            breaker = breaker with
            {
                FailureRatio = ratio is > 0 and <= 1 ? (double)ratio.Value : breaker.FailureRatio,
                MinimumRequests = circuit.Int("minimum_requests", 2) ?? breaker.MinimumRequests,
                SamplingWindow = Positive(circuit, "sampling_window") ?? breaker.SamplingWindow,
                Break = Positive(circuit, "break") ?? breaker.Break,
            };
        }
        return resilience with
        {
            Timeout = Positive(map, "timeout") ?? resilience.Timeout,
            ResponseTimeout = Positive(map, "response_timeout") ?? resilience.ResponseTimeout,
            TotalTimeout = Positive(map, "total_timeout") ?? resilience.TotalTimeout,
            Retries = map.Int("retries", 0, 10) ?? resilience.Retries,
            RetryDelay = Positive(map, "retry_delay") ?? resilience.RetryDelay,
            MaxRetryDelay = Positive(map, "max_retry_delay") ?? resilience.MaxRetryDelay,
            CircuitBreaker = breaker,
            ProbeInterval = Positive(map, "probe_interval"),
        };
    }

    /// <summary>A YAML value as JSON: plain scalars that read as numbers or booleans stay so, the rest are strings.</summary>
    private static string ToJson(YamlNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, node);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());

        static void Write(Utf8JsonWriter writer, YamlNode node)
        {
            switch (node)
            {
                case YamlScalarNode { Style: ScalarStyle.Plain, Value: var text }:
                    if (text is null or "null" or "~") writer.WriteNullValue();
                    else if (bool.TryParse(text, out var flag)) writer.WriteBooleanValue(flag);
                    else if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) writer.WriteNumberValue(number);
                    else writer.WriteStringValue(text);
                    break;
                case YamlScalarNode scalar:
                    writer.WriteStringValue(scalar.Value);
                    break;
                case YamlSequenceNode list:
                    writer.WriteStartArray();
                    foreach (var child in list.Children) Write(writer, child);
                    writer.WriteEndArray();
                    break;
                case YamlMappingNode map:
                    writer.WriteStartObject();
                    foreach (var (key, value) in map.Children)
                    {
                        writer.WritePropertyName(((YamlScalarNode)key).Value ?? "");
                        Write(writer, value);
                    }
                    writer.WriteEndObject();
                    break;
            }
        }
    }
}
