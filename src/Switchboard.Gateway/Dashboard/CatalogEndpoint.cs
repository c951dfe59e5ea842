using Microsoft.AspNetCore.Builder;
using Switchboard.Catalog;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// <c>GET /api/catalog</c>: every provider this gateway knows, whether it is enabled, and the catalog's models it
/// serves with their prices and context windows; then the configured aliases. The playground fills its provider
/// dropdown and model list from it.
/// </summary>
internal static class CatalogEndpoint
{
    public static void Map(WebApplication app, SwitchboardRuntime runtime)
    {
        app.MapGet("/api/catalog", context => JsonAnswer.WriteAsync(context, json =>
        {
            json.WriteStartObject();
            json.WriteString("prices_taken", runtime.Catalog.PricesTaken);
            json.WriteStartArray("providers");
            foreach (var provider in runtime.Providers.All.OrderByDescending(p => p.IsEnabled).ThenBy(p => p.Name, StringComparer.Ordinal))
            {
                json.WriteStartObject();
                json.WriteString("name", provider.Name);
                json.WriteString("display_name", provider.Descriptor.DisplayName);
                json.WriteString("type", provider.Descriptor.Name);
                json.WriteBoolean("enabled", provider.IsEnabled);
                json.WriteStartArray("models");
                foreach (var model in runtime.Catalog.Models)
                {
                    if (!string.Equals(model.Provider, provider.Name, StringComparison.OrdinalIgnoreCase)
                        && !string.Equals(model.Provider, provider.Descriptor.Name, StringComparison.OrdinalIgnoreCase)) continue;
                    WriteModel(json, model);
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartObject("aliases");
            foreach (var (alias, target) in runtime.Options.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal)) json.WriteString(alias, target);
            json.WriteEndObject();
            json.WriteEndObject();
        }));
    }

    private static void WriteModel(System.Text.Json.Utf8JsonWriter json, CatalogModel model)
    {
        json.WriteStartObject();
        json.WriteString("id", model.Id);
        if (model.ContextWindow is { } window) json.WriteNumber("context_window", window);
        else json.WriteNull("context_window");
        JsonAnswer.WriteNumberOrNull(json, "input_per_mtok", model.InputPerMtok);
        JsonAnswer.WriteNumberOrNull(json, "output_per_mtok", model.OutputPerMtok);
        JsonAnswer.WriteNumberOrNull(json, "cached_input_per_mtok", model.CachedInputPerMtok);
        json.WriteStartArray("capabilities");
        foreach (var capability in model.Capabilities) json.WriteStringValue(capability);
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
