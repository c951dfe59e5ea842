using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Providers.OpenAI;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// <c>/api/keys</c>: create, list and revoke virtual keys. Only the master key may: a gateway without one answers 403,
/// since anyone on the machine could otherwise mint keys, and the keys are what guards budgets. The plaintext key is
/// in the create answer and nowhere else; lists carry the id, name and hint.
/// </summary>
internal static class KeyEndpoints
{
    private static readonly string[] Fields =
        ["name", "allowed_models", "allowed_routes", "rpm", "tpm", "budget_usd", "budget_period", "expires_at", "metadata"];

    public static void Map(WebApplication app, ISwitchboardStore? store, KeyCache? cache, TimeProvider time)
    {
        app.MapPost("/api/keys", context => GuardedAsync(context, store, s => CreateAsync(context, s, time)));
        app.MapGet("/api/keys", context => GuardedAsync(context, store, s => ListAsync(context, s, time)));
        app.MapDelete("/api/keys/{id}", context => GuardedAsync(context, store, s => RevokeAsync(context, s, cache, time)));
        app.MapPost("/api/keys/{id}/revoke", context => GuardedAsync(context, store, s => RevokeAsync(context, s, cache, time)));
    }

    private static async Task GuardedAsync(HttpContext context, ISwitchboardStore? store, Func<ISwitchboardStore, Task> handle)
    {
        try
        {
            if (GatewayCaller.Of(context) is not { Master: true })
            {
                throw new SwitchboardException(ErrorCategory.Authentication, 403,
                    "Managing keys needs the gateway's master key, and this gateway has none. Set server.master_key (by default from SWITCHBOARD_MASTER_KEY), restart, and send it as Authorization: Bearer <master key>.",
                    code: "master_key_required");
            }
            if (store is null)
            {
                throw new SwitchboardException(ErrorCategory.Unavailable, 503,
                    "Virtual keys live in the store, and this gateway runs without one (storage: none). Set storage: or SWITCHBOARD_DATABASE_URL.",
                    code: "no_store");
            }
            await handle(store);
        }
        catch (SwitchboardException error)
        {
            await ErrorResponses.WriteAsync(context, OpenAIClientDialect.Instance, error, RequestTiming.Start());
        }
    }

    private static async Task CreateAsync(HttpContext context, ISwitchboardStore store, TimeProvider time)
    {
        using var body = await RequestBody.ReadAsync(context, 64 * 1024);
        var options = Parse(body.WrittenMemory);
        CreatedVirtualKey created;
        try
        {
            created = await store.CreateKeyAsync(options, context.RequestAborted);
        }
        catch (ArgumentException e)
        {
            throw SwitchboardException.BadRequest("The key could not be created: " + e.Message);
        }
        var json = Json(created.Record, time);
        json["key"] = created.Key;
        context.Response.StatusCode = 201;
        await WriteAsync(context, json);
    }

    private static async Task ListAsync(HttpContext context, ISwitchboardStore store, TimeProvider time)
    {
        var keys = await store.ListKeysAsync(context.RequestAborted);
        var data = new JsonArray();
        foreach (var key in keys) data.Add(Json(key, time));
        await WriteAsync(context, new JsonObject { ["object"] = "list", ["data"] = data });
    }

    private static async Task RevokeAsync(HttpContext context, ISwitchboardStore store, KeyCache? cache, TimeProvider time)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (!await store.RevokeKeyAsync(id, context.RequestAborted))
            throw new SwitchboardException(ErrorCategory.NotFound, 404, $"There is no virtual key with id {id}. GET /api/keys lists them.", code: "key_not_found");
        cache?.Forget(id);
        var key = await store.GetKeyAsync(id, context.RequestAborted);
        await WriteAsync(context, Json(key!, time));
    }

    private static JsonObject Json(VirtualKey key, TimeProvider time)
    {
        var json = JsonSerializer.SerializeToNode(key, StorageJsonContext.Default.VirtualKey)!.AsObject();
        json["status"] = key.StatusAt(time.GetUtcNow()) switch
        {
            VirtualKeyStatus.Revoked => "revoked",
            VirtualKeyStatus.Expired => "expired",
            _ => "active",
        };
        return json;
    }

    private static async Task WriteAsync(HttpContext context, JsonNode json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json.ToJsonString(), context.RequestAborted);
    }

    /// <summary>The create request's options; any field of the wrong type or out of range is a 400 that names it.</summary>
    internal static VirtualKeyOptions Parse(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        }
        catch (JsonException e)
        {
            throw SwitchboardException.BadRequest("The body is not valid JSON: " + e.Message);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw SwitchboardException.BadRequest("The body must be a JSON object such as {\"name\": \"ci\", \"rpm\": 60, \"budget_usd\": 10}.");
            var options = new VirtualKeyOptions();
            foreach (var field in root.EnumerateObject())
            {
                var value = field.Value;
                if (value.ValueKind == JsonValueKind.Null) continue;
                options = field.Name switch
                {
                    "name" => options with { Name = String(field) },
                    "allowed_models" => options with { AllowedModels = Strings(field) },
                    "allowed_routes" => options with { AllowedRoutes = Strings(field) },
                    "rpm" => options with { RequestsPerMinute = (int)Whole(field, int.MaxValue) },
                    "tpm" => options with { TokensPerMinute = Whole(field, long.MaxValue) },
                    "budget_usd" => options with { BudgetUsd = Usd(field) },
                    "budget_period" => options with { BudgetPeriod = Period(field) },
                    "expires_at" => options with { Expires = Time(field) },
                    "metadata" => options with { Metadata = Metadata(field) },
                    _ => throw Bad(field, $"'{field.Name}' is not a field of a key. Fields: {string.Join(", ", Fields)}."),
                };
            }
            return options;
        }
    }

    private static SwitchboardException Bad(JsonProperty field, string message) => SwitchboardException.BadRequest(message, param: field.Name);

    private static string String(JsonProperty field) =>
        field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString()! : throw Bad(field, $"{field.Name} must be a string.");

    private static List<string> Strings(JsonProperty field)
    {
        if (field.Value.ValueKind != JsonValueKind.Array || field.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            throw Bad(field, $"{field.Name} must be a list of strings, such as [\"gpt-4.1\", \"claude-sonnet-4-5\"].");
        return field.Value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }

    private static long Whole(JsonProperty field, long max)
    {
        if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetInt64(out var value) || value < 1 || value > max)
            throw Bad(field, $"{field.Name} must be a whole number of at least 1, not {field.Value.GetRawText()}.");
        return value;
    }

    private static decimal Usd(JsonProperty field)
    {
        if (field.Value.ValueKind != JsonValueKind.Number || !field.Value.TryGetDecimal(out var value) || value < 0)
            throw Bad(field, $"{field.Name} must be a number of USD of at least 0, not {field.Value.GetRawText()}.");
        return value;
    }

    private static BudgetPeriod Period(JsonProperty field) => String(field) switch
    {
        "day" => BudgetPeriod.Day,
        "week" => BudgetPeriod.Week,
        "month" => BudgetPeriod.Month,
        "total" => BudgetPeriod.Total,
        var other => throw Bad(field, $"{field.Name} must be day, week, month or total, not '{other}'."),
    };

    private static DateTimeOffset Time(JsonProperty field) =>
        DateTimeOffset.TryParse(String(field), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw Bad(field, $"{field.Name} must be a date and time such as 2026-12-31T23:59:59Z.");

    private static Dictionary<string, string> Metadata(JsonProperty field)
    {
        if (field.Value.ValueKind != JsonValueKind.Object || field.Value.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
            throw Bad(field, $"{field.Name} must be an object of string values, such as {{\"owner\": \"search-team\"}}.");
        return field.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }
}
