using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchboard.Configuration;
using Switchboard.Providers;
using Switchboard.Storage.Jobs;

namespace Switchboard.Gateway.Jobs;

/// <summary>
/// Reads job submissions (a <c>POST /api/jobs</c> body, an item of a batch, a line of an OpenAI Batch API file) into
/// jobs to store: checked against the config so that a job that cannot run is refused now, with a 400 that names what
/// is valid, rather than failing later in a worker.
/// </summary>
internal sealed class JobSubmissions
{
    private static readonly string[] Fields =
        ["input", "messages", "system", "provider", "model_name", "route", "max_tokens", "temperature", "metadata", "webhook", "custom_id"];

    private readonly SwitchboardRuntime _runtime;
    private readonly JobsOptions _options;

    /// <exception cref="ConfigException"><c>jobs.provider</c> or <c>jobs.model_name</c> names what the config does not have.</exception>
    public JobSubmissions(SwitchboardRuntime runtime)
    {
        _runtime = runtime;
        _options = runtime.Options.Jobs;
        if (_options.Provider is { } provider)
        {
            try
            {
                Check(provider, _options.ModelName, "jobs.");
            }
            catch (SwitchboardException e) when (e.Category != ErrorCategory.Authentication)
            {
                throw new ConfigException(e.Message);
            }
        }
        else if (_options.ModelName is not null)
        {
            throw new ConfigException("jobs.model_name is set but jobs.provider is not: name the provider that serves it, such as jobs: { provider: openai, model_name: gpt-4o-mini }.");
        }
    }

    /// <summary>
    /// One job request: <c>input</c> or <c>messages</c>, and a provider and model (or the config's defaults) or a
    /// route. <paramref name="where"/> prefixes every error (<c>line 3: </c>), empty for a job alone.
    /// </summary>
    public NewJob Read(JsonElement request, string where = "")
    {
        if (request.ValueKind != JsonValueKind.Object)
            throw Bad(where, "a job request must be a JSON object such as {\"input\": \"Summarise ...\", \"provider\": \"openai\", \"model_name\": \"gpt-4o-mini\"}.", null);
        // An OpenAI Batch API line: { custom_id, method, url, body: { model, messages, ... } }.
        if (request.TryGetProperty("body", out var body) && request.TryGetProperty("url", out _))
            return ReadOpenAIBatchLine(request, body, where);

        string? input = null, system = null, provider = null, modelName = null, route = null;
        JsonElement? messages = null;
        long? maxTokens = null;
        double? temperature = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        Uri? webhook = null;
        foreach (var field in request.EnumerateObject())
        {
            var value = field.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            switch (field.Name)
            {
                case "input": input = String(field, where); break;
                case "messages": messages = Messages(field, where); break;
                case "system": system = String(field, where); break;
                case "provider": provider = String(field, where); break;
                case "model_name": modelName = String(field, where); break;
                case "route": route = String(field, where); break;
                case "max_tokens":
                    maxTokens = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var max) && max >= 1 ? max
                        : throw Bad(where, $"max_tokens must be a whole number of at least 1, not {value.GetRawText()}.", field.Name);
                    break;
                case "temperature":
                    temperature = value.ValueKind == JsonValueKind.Number ? value.GetDouble()
                        : throw Bad(where, $"temperature must be a number, not {value.GetRawText()}.", field.Name);
                    break;
                case "metadata":
                    if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
                        throw Bad(where, "metadata must be an object of string values, such as {\"team\": \"search\"}.", field.Name);
                    foreach (var pair in value.EnumerateObject()) metadata[pair.Name] = pair.Value.GetString()!;
                    break;
                case "webhook": webhook = Webhook(field, where); break;
                case "custom_id": metadata["custom_id"] = String(field, where); break;
                default:
                    var closest = Spelling.Closest(field.Name, Fields, 2);
                    throw Bad(where, $"'{field.Name}' is not a field of a job request{(closest is null ? "" : $" (did you mean '{closest}'?)")}. Fields: {string.Join(", ", Fields)}.", field.Name);
            }
        }
        if (input is null && messages is null) throw Bad(where, "a job needs input (the user's text) or messages (OpenAI chat messages).", "input");
        if (input is not null && messages is not null) throw Bad(where, "give input or messages, not both.", "input");
        if (route is not null && (provider is not null || modelName is not null))
            throw Bad(where, $"give route, or provider and model_name, not both: route '{route}' picks its own models.", "route");

        if (route is null)
        {
            provider ??= _options.Provider ?? throw Bad(where,
                "a job needs a provider and model_name, or a route: none was given and the config sets no default (jobs.provider, jobs.model_name).", "provider");
            provider = Check(provider, null, where).Name;
            modelName ??= (string.Equals(provider, _options.Provider, StringComparison.OrdinalIgnoreCase) ? _options.ModelName : null)
                ?? throw Bad(where, $"a job for provider {provider} needs model_name, the model to ask it for.", "model_name");
            Check(provider, modelName, where);
        }
        else
        {
            CheckRoute(route, where);
        }

        var text = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(text))
        {
            writer.WriteStartObject();
            writer.WriteString("model", route ?? provider + "/" + modelName);
            writer.WriteStartArray("messages");
            if (system is not null) WriteMessage(writer, "system", system);
            if (input is not null) WriteMessage(writer, "user", input);
            else foreach (var message in messages!.Value.EnumerateArray()) message.WriteTo(writer);
            writer.WriteEndArray();
            if (maxTokens is { } tokens) writer.WriteNumber("max_tokens", tokens);
            if (temperature is { } t) writer.WriteNumber("temperature", t);
            var routing = RoutingMetadataFor(route);
            if (metadata.Count > 0 || routing is not null)
            {
                writer.WriteStartObject("metadata");
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                if (routing is { } extra && !metadata.ContainsKey(extra.Key)) writer.WriteString(extra.Key, extra.Value);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return new NewJob { Provider = route is null ? provider : null, ModelName = modelName, Route = route, Request = Encoding.UTF8.GetString(text.WrittenSpan), Metadata = metadata, Webhook = webhook };
    }

    /// <summary>The provider, once it is known to exist, to be callable and to serve <paramref name="modelName"/>.</summary>
    private Provider Check(string providerName, string? modelName, string where)
    {
        var provider = _runtime.Providers.Find(providerName)
            ?? (KnownProviders.Find(providerName) is { } known ? _runtime.Providers.Find(known.Name) : null);
        if (provider is null)
        {
            var names = _runtime.Providers.All.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
            var closest = Spelling.Closest(providerName, names, 2);
            throw Bad(where, $"unknown provider '{providerName}'{(closest is null ? "" : $" (did you mean '{closest}'?)")}. Providers: {string.Join(", ", names)}.", "provider", "unknown_provider");
        }
        if (modelName is null) return provider;
        if (!Serves(provider, modelName))
        {
            var models = _runtime.Catalog.Models
                .Where(m => string.Equals(m.Provider, provider.Name, StringComparison.OrdinalIgnoreCase) || string.Equals(m.Provider, provider.Descriptor.Name, StringComparison.OrdinalIgnoreCase))
                .Select(m => m.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var closest = Spelling.Closest(modelName, models, 3);
            var patterns = KnownProviders.NamePatterns.Where(p => p.Provider == provider.Descriptor).Select(p => p.Prefix + "*").ToList();
            throw Bad(where,
                $"provider {provider.Name} does not serve model '{modelName}'{(closest is null ? "" : $" (did you mean '{closest}'?)")}. " +
                $"Models it serves: {string.Join(", ", models)}{(patterns.Count == 0 ? "" : ", and names like " + string.Join(", ", patterns))}. " +
                $"Add others to models: in {ConfigLoader.DefaultFileName}.", "model_name", "model_not_found");
        }
        try
        {
            provider.EnsureCallable(modelName);
        }
        catch (SwitchboardException e)
        {
            // Refused now, with the variable to set, rather than failing in a worker later.
            throw Bad(where, e.Message, "provider", e.Code);
        }
        return provider;
    }

    /// <summary>
    /// Whether the provider serves the model: vendors whose models follow known names (OpenAI, Anthropic, Google ...)
    /// serve what the catalog lists for them and names of their patterns; aggregators, local servers, clouds with
    /// deployments of their own naming, and configured <c>provider/*</c> entries take any name.
    /// </summary>
    private bool Serves(Provider provider, string model) =>
        _runtime.Catalog.Find(provider, model) is not null
        || !KnownProviders.NamePatterns.Any(p => p.Provider == provider.Descriptor)
        || KnownProviders.MatchPattern(model) == provider.Descriptor;

    private void CheckRoute(string route, string where)
    {
        var names = _runtime.Router.Names.ToList();
        if (names.Contains(route, StringComparer.OrdinalIgnoreCase)) return;
        var closest = Spelling.Closest(route, names, 2);
        throw Bad(where, names.Count == 0
            ? $"unknown route '{route}': the config has no routes:, agents: or workflows:. Give provider and model_name instead."
            : $"unknown route '{route}'{(closest is null ? "" : $" (did you mean '{closest}'?)")}. Routes, agents and workflows: {string.Join(", ", names.Order(StringComparer.Ordinal))}.",
            "route", "unknown_route");
    }

    /// <summary>An agent or workflow is picked by the request's metadata, not by its model name: the job says which.</summary>
    private KeyValuePair<string, string>? RoutingMetadataFor(string? route)
    {
        if (route is null || _runtime.Options.Routes.ContainsKey(route)) return null;
        if (_runtime.Options.Agents.ContainsKey(route)) return new("agent", route);
        return _runtime.Options.Workflows.ContainsKey(route) ? new("workflow", route) : null;
    }

    private NewJob ReadOpenAIBatchLine(JsonElement line, JsonElement body, string where)
    {
        if (body.ValueKind != JsonValueKind.Object) throw Bad(where, "body must be a chat-completions request object.", "body");
        if (line.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String && !url.GetString()!.EndsWith("/chat/completions", StringComparison.Ordinal))
            throw Bad(where, $"only /v1/chat/completions lines can run as jobs, not {url.GetString()}.", "url");
        if (!body.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
            throw Bad(where, "body.model must name a model or route.", "model");
        if (!body.TryGetProperty("messages", out var messages)) throw Bad(where, "body.messages is missing.", "messages");

        var name = model.GetString()!;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("messages");
            messages.WriteTo(writer);
            if (_runtime.Router.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                writer.WriteString("route", name);
            }
            else
            {
                ModelResolution resolution;
                try
                {
                    resolution = _runtime.Resolver.Resolve(name);
                }
                catch (SwitchboardException e)
                {
                    throw Bad(where, e.Message, "model", e.Code);
                }
                writer.WriteString("provider", resolution.Provider.Name);
                writer.WriteString("model_name", resolution.Model);
            }
            foreach (var field in new[] { "max_tokens", "temperature", "metadata" })
            {
                if (!body.TryGetProperty(field, out var value)) continue;
                writer.WritePropertyName(field);
                value.WriteTo(writer);
            }
            if (line.TryGetProperty("custom_id", out var customId))
            {
                writer.WritePropertyName("custom_id");
                customId.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return Read(document.RootElement, where);
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteString("content", content);
        writer.WriteEndObject();
    }

    private static JsonElement Messages(JsonProperty field, string where)
    {
        var value = field.Value;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String))
            throw Bad(where, "messages must be a non-empty list of chat messages such as [{\"role\": \"user\", \"content\": \"Hi\"}].", field.Name);
        return value;
    }

    private static Uri Webhook(JsonProperty field, string where)
    {
        var text = String(field, where);
        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? url
            : throw Bad(where, "webhook must be an http:// or https:// URL.", field.Name);
    }

    private static string String(JsonProperty field, string where) =>
        field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : throw Bad(where, $"{field.Name} must be a string, not {field.Value.GetRawText()}.", field.Name);

    private static SwitchboardException Bad(string where, string message, string? param, string? code = null) =>
        SwitchboardException.BadRequest(where.Length == 0 ? char.ToUpperInvariant(message[0]) + message[1..] : where + message, param, code);
}
