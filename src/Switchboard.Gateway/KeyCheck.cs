using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Switchboard.Gateway.Dashboard;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// Checks the key a request carries, as <c>Authorization: Bearer &lt;key&gt;</c> (OpenAI clients) or <c>x-api-key</c>
/// (Anthropic clients). The master key opens everything but the health checks, the dashboard's files and
/// <c>/api/session</c>, which are always open. A virtual key (<c>sk-sb-...</c>) opens the model API (<c>/v1/*</c>,
/// <c>/chat/completions</c>, <c>/models</c>) and nothing else. With no master key (a loopback gateway) a request
/// without a key passes, but a virtual key that is sent is still checked,
/// so its limits and budget hold and its usage is counted to it. Error messages name the key's id, never the key.
/// </summary>
internal sealed class KeyCheck(byte[]? masterKey, KeyCache? keys, TimeProvider time)
{
    public const string VirtualKeyPrefix = "sk-sb-";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // The dashboard's files hold no data: its page shell loads without a key and asks for the key itself.
        if (context.Request.Path.StartsWithSegments("/health") || DashboardEndpoint.IsStaticPath(context.Request))
        {
            await next(context);
            return;
        }
        var presented = Presented(context.Request);
        if (presented is not null && masterKey is not null && Matches(presented))
        {
            GatewayCaller.MasterKey.AttachTo(context);
            await next(context);
            return;
        }
        // /api/session answers whether the key sent is the master key, so it is open to any request.
        if (context.Request.Path == SessionEndpoint.Path)
        {
            await next(context);
            return;
        }
        if (presented is not null && presented.StartsWith(VirtualKeyPrefix, StringComparison.Ordinal))
        {
            if (await RefusalAsync(context, presented) is { } refusal)
            {
                await FailAsync(context, refusal);
                return;
            }
            await next(context);
            return;
        }
        if (masterKey is null)
        {
            await next(context);
            return;
        }
        await FailAsync(context, new SwitchboardException(ErrorCategory.Authentication, 401, presented is null
            ? "This gateway needs a key: send Authorization: Bearer <key> with the gateway's master key or a virtual key (sk-sb-...)."
            : "The key sent does not match this gateway's master key, and it is not a virtual key (sk-sb-...).", code: "invalid_api_key"));
    }

    /// <summary>Why the virtual key may not be used here; null when it may, and then it is attached to the request.</summary>
    private async Task<SwitchboardException?> RefusalAsync(HttpContext context, string presented)
    {
        if (keys is null)
        {
            return new SwitchboardException(ErrorCategory.Authentication, 401,
                "A virtual key was sent, but this gateway has no store to check it against (storage: none). Set storage: or SWITCHBOARD_DATABASE_URL.",
                code: "invalid_api_key");
        }
        var key = await keys.FindAsync(presented, context.RequestAborted);
        if (key is null)
            return new SwitchboardException(ErrorCategory.Authentication, 401, "The virtual key sent is not known to this gateway.", code: "invalid_api_key");
        var now = time.GetUtcNow();
        switch (key.StatusAt(now))
        {
            case VirtualKeyStatus.Revoked:
                return new SwitchboardException(ErrorCategory.Authentication, 401,
                    $"The virtual key {Describe(key)} was revoked at {Format(key.Revoked!.Value)}. Ask for a new key.", code: "key_revoked");
            case VirtualKeyStatus.Expired:
                return new SwitchboardException(ErrorCategory.Authentication, 401,
                    $"The virtual key {Describe(key)} expired at {Format(key.Expires!.Value)}. Ask for a new key.", code: "key_expired");
        }
        if (!IsModelApi(context.Request.Path))
        {
            return new SwitchboardException(ErrorCategory.Authentication, 403,
                $"The virtual key {Describe(key)} opens the model API (/v1/...) only; {context.Request.Path} needs the gateway's master key.",
                code: "master_key_required");
        }
        GatewayCaller.For(key).AttachTo(context);
        return null;
    }

    /// <summary>How a key is named to people: its name and id, never the key.</summary>
    public static string Describe(VirtualKey key) => key.Name is { Length: > 0 } name ? $"'{name}' ({key.Id})" : key.Id;

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static bool IsModelApi(PathString path) =>
        path.StartsWithSegments("/v1") || path.StartsWithSegments("/chat/completions") || path.StartsWithSegments("/models");

    private static Task FailAsync(HttpContext context, SwitchboardException error) =>
        ErrorResponses.WriteAsync(context, SwitchboardGateway.DialectOf(context), error, RequestTiming.Start());

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), masterKey);

    /// <summary>Keeps only the master key's hash, so comparison time says nothing about its length or content.</summary>
    public static byte[]? Hash(string? masterKey) => masterKey is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(masterKey));
}
