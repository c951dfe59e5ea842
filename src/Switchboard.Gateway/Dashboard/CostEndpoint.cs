using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Usage;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// <c>GET /api/cost?provider=&amp;model=&amp;input_tokens=&amp;output_tokens=&amp;cached_input_tokens=&amp;cache_write_tokens=&amp;reasoning_tokens=</c>:
/// what the catalog says those tokens cost, priced as the gateway prices a request (<see cref="CostCalculator"/>), so
/// the dashboard never keeps prices of its own. <c>cost_usd</c> is null when the model's price is unknown.
/// </summary>
internal static class CostEndpoint
{
    public static void Map(WebApplication app, SwitchboardRuntime runtime) =>
        app.MapGet("/api/cost", context => JsonAnswer.GuardAsync(context, () =>
        {
            var query = context.Request.Query;
            var model = query["model"].ToString().Trim();
            if (model.Length == 0) throw JsonAnswer.Bad("model", "model is required: the model to price, such as gpt-4o-mini or openai/gpt-4o-mini.");
            var provider = query["provider"].ToString().Trim();
            if (provider.Length > 0 && runtime.Providers.Find(provider) is null)
            {
                throw JsonAnswer.Bad("provider", $"provider: '{provider}' is not a provider of this gateway; providers: {string.Join(", ", runtime.Providers.All.Select(p => p.Name).Order(StringComparer.Ordinal))}.");
            }
            var tokens = new TokenUsage(
                Count(query, "input_tokens"), Count(query, "output_tokens"), Count(query, "cached_input_tokens"),
                Count(query, "cache_write_tokens"), Count(query, "reasoning_tokens"));
            var requested = provider.Length > 0 ? provider + "/" + model : model;
            string? resolvedProvider = null, resolvedModel = null;
            Catalog.CatalogModel? catalogModel = null;
            try
            {
                var resolution = runtime.Resolver.Resolve(requested);
                resolvedProvider = resolution.Provider.Name;
                resolvedModel = resolution.Model;
                catalogModel = resolution.CatalogModel;
            }
            catch (SwitchboardException)
            {
                // A model no provider serves has no price: the answer says unknown rather than failing.
            }
            var cost = CostCalculator.Cost(tokens, catalogModel);
            return JsonAnswer.WriteAsync(context, json =>
            {
                json.WriteStartObject();
                json.WriteString("provider", resolvedProvider);
                json.WriteString("model", resolvedModel ?? model);
                JsonAnswer.WriteNumberOrNull(json, "cost_usd", cost);
                json.WriteBoolean("priced", cost is not null);
                json.WriteEndObject();
            });
        }));

    private static int Count(IQueryCollection query, string name)
    {
        var text = query[name].ToString();
        if (text.Length == 0) return 0;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw JsonAnswer.Bad(name, $"{name} must be a whole number of tokens, 0 or more, not '{text}'.");
        return count;
    }
}
