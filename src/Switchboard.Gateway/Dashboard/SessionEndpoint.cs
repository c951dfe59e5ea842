using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Storage;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// <c>GET /api/session</c>: what the dashboard needs to know before it shows anything: whether this gateway has a
/// master key, whether the request carries it, and which optional APIs this gateway serves (jobs: this build has
/// the jobs API and a store to keep them in).
/// </summary>
/// <remarks>
/// It is the one <c>/api</c> path open without a key (see <see cref="KeyCheck"/>): it tells only what any refused
/// request would (that a key is needed), and it lets the sign-in form check a key without a 401, which browsers log
/// as an error. A key that does not match gets <c>authenticated: false</c> and the reason, never a hint of the key.
/// </remarks>
internal static class SessionEndpoint
{
    public const string Path = "/api/session";

    public static void Map(WebApplication app, bool masterKeyRequired)
    {
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        bool? jobs = null;
        app.MapGet(Path, context =>
        {
            // Looked up on first use, once every endpoint is mapped.
            // Jobs live in the store: without one the jobs API only answers that it needs one.
            jobs ??= context.RequestServices.GetService<ISwitchboardStore>() is not null
                && sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
                    .Any(e => string.Equals(e.RoutePattern.RawText, "/api/jobs", StringComparison.OrdinalIgnoreCase));
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
                json.WriteBoolean("jobs", jobs.Value);
                json.WriteEndObject();
                json.WriteEndObject();
            });
        });
    }
}
