using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// <c>GET /api/session</c>: what the dashboard needs to know before it shows anything: whether this gateway has a
/// master key, whether the request carries it, and whether it has a store (without one there is no usage log, no
/// virtual keys and no jobs, and those pages say so instead of asking).
/// </summary>
/// <remarks>
/// It is the one <c>/api</c> path open without a key (see <see cref="KeyCheck"/>): it tells only what any refused
/// request would (that a key is needed), and it lets the sign-in form check a key without a 401, which browsers log
/// as an error. A key that does not match gets <c>authenticated: false</c> and the reason, never a hint of the key.
/// </remarks>
internal static class SessionEndpoint
{
    public const string Path = "/api/session";

    public static void Map(WebApplication app, bool masterKeyRequired, bool storage)
    {
        app.MapGet(Path, context =>
        {
            var caller = GatewayCaller.Of(context);
            var authenticated = !masterKeyRequired || caller is { Master: true };
            var presented = context.Request.Headers.Authorization.Count > 0 || context.Request.Headers["x-api-key"].Count > 0;
            return JsonAnswer.WriteAsync(context, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("master_key_required", masterKeyRequired);
                json.WriteBoolean("authenticated", authenticated);
                if (!authenticated)
                {
                    json.WriteString("message", presented
                        ? "The key sent does not match this gateway's master key. The dashboard needs the master key (server.master_key), not a virtual key."
                        : "This gateway needs its master key: enter the value of server.master_key (by default SWITCHBOARD_MASTER_KEY).");
                }
                json.WriteStartObject("features");
                json.WriteBoolean("storage", storage);
                json.WriteEndObject();
                json.WriteEndObject();
            });
        });
    }
}
