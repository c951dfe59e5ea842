using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway;

/// <summary>
/// When a master key is set, every request but the health checks must carry it, as
/// <c>Authorization: Bearer &lt;key&gt;</c> (OpenAI clients) or <c>x-api-key</c> (Anthropic clients).
/// </summary>
internal sealed class MasterKeyCheck(byte[] masterKey)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/health") || Presented(context.Request) is { } key && Matches(key))
        {
            await next(context);
            return;
        }
        var message = Presented(context.Request) is null
            ? "This gateway needs a key: send Authorization: Bearer <key> with the gateway's master key."
            : "The key sent does not match this gateway's master key.";
        await ErrorResponses.WriteAsync(context, SwitchboardGateway.DialectOf(context),
            new SwitchboardException(ErrorCategory.Authentication, 401, message, code: "invalid_api_key"), RequestTiming.Start());
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var apiKey = request.Headers["x-api-key"].ToString();
        return apiKey.Length > 0 ? apiKey : null;
    }

    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), masterKey);

    /// <summary>Keeps only the key's hash, so comparison time says nothing about its length or content.</summary>
    public static MasterKeyCheck For(string key) => new(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
