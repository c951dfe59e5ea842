using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Gateway.Dashboard;

/// <summary>
/// Serves the dashboard's page shell (hand-written HTML, CSS and JavaScript modules embedded in this assembly) at
/// <c>/</c> and <c>/dashboard/*</c>, and its icon at <c>/favicon.ico</c>. The files hold no data, so <see cref="KeyCheck"/> lets them through without a
/// key; every number they show comes from the <c>/api</c> endpoints, which need the master key when one is set.
/// </summary>
internal sealed class DashboardEndpoint
{
    /// <summary>The path prefix of the dashboard's files; <c>/</c> is its index.</summary>
    public const string Prefix = "/dashboard";

    private const string ResourcePrefix = "dashboard/";

    private const string FaviconPath = "/favicon.ico";

    /// <summary>Nothing inline and nothing from elsewhere: scripts, styles and requests come from this gateway only.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private readonly Dictionary<string, StaticFile> _files = new(StringComparer.Ordinal);

    public DashboardEndpoint()
    {
        var assembly = typeof(DashboardEndpoint).Assembly;
        foreach (var name in assembly.GetManifestResourceNames())
        {
            if (!name.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            _files[path] = new StaticFile(bytes, ContentTypeOf(path), "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"");
        }
    }

    public static void Map(WebApplication app)
    {
        var endpoint = new DashboardEndpoint();
        app.MapMethods("/", ["GET", "HEAD"], context => endpoint.ServeAsync(context, "index.html"));
        // Browsers ask for /favicon.ico on their own (for a page without an icon link, such as a JSON answer).
        app.MapMethods(FaviconPath, ["GET", "HEAD"], context => endpoint.ServeAsync(context, "favicon.svg"));
        app.MapMethods(Prefix + "/{**path}", ["GET", "HEAD"], context => endpoint.ServeAsync(context, (string?)context.Request.RouteValues["path"] is { Length: > 0 } path ? path : "index.html"));
    }

    /// <summary>Whether a request asks for one of the dashboard's files, which are open without a key.</summary>
    public static bool IsStaticPath(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path == "/" || request.Path == FaviconPath || request.Path.StartsWithSegments(Prefix));

    private Task ServeAsync(HttpContext context, string path)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        if (!_files.TryGetValue(path, out var file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "text/plain; charset=utf-8";
            return response.WriteAsync($"The dashboard has no file {Prefix}/{path}. Open / for the dashboard.", context.RequestAborted);
        }
        headers.CacheControl = "no-cache";
        headers.ETag = file.ETag;
        response.ContentType = file.ContentType;
        if (context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } match
            && match.Split(',', StringSplitOptions.TrimEntries).Any(tag => tag == file.ETag || tag == "*"))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentLength = file.Bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(file.Bytes, context.RequestAborted).AsTask();
    }

    private static string ContentTypeOf(string path) => Path.GetExtension(path) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };

    private sealed record StaticFile(byte[] Bytes, string ContentType, string ETag);
}
