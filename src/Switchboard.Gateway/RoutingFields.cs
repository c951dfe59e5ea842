using Microsoft.AspNetCore.Http;
using Switchboard.Chat;
using Switchboard.Routing;

namespace Switchboard.Gateway;

/// <summary>
/// Reads the routing fields of a request: the body's <c>metadata</c> first, then the <c>x-switchboard-*</c> headers,
/// which win (a proxy in front can set them without touching bodies).
/// </summary>
internal static class RoutingFields
{
    private static readonly (string Header, string Field)[] Headers =
    [
        ("x-switchboard-priority", "priority"), ("x-switchboard-labels", "labels"), ("x-switchboard-agent", "agent"),
        ("x-switchboard-stage", "stage"), ("x-switchboard-workflow", "workflow"), ("x-switchboard-id", "id"),
        ("x-switchboard-user", "user"), ("x-switchboard-retry-count", "retry_count"),
    ];

    /// <summary>The fields, and the envelope told what of its metadata to send on.</summary>
    public static RoutingMetadata Read(HttpRequest request, ReadOnlySpan<byte> body, ChatRequestEnvelope envelope)
    {
        var fields = RoutingMetadata.FromBody(body, envelope);
        ApplyHeaders(request, fields);
        return fields;
    }

    /// <summary>Sets the fields the request's <c>x-switchboard-*</c> headers give.</summary>
    public static void ApplyHeaders(HttpRequest request, RoutingMetadata fields)
    {
        foreach (var (header, field) in Headers)
        {
            if (request.Headers.TryGetValue(header, out var value) && value.Count > 0) fields.Set(field, value.ToString());
        }
    }

    /// <summary>True when the request carries routing headers or metadata, which must be read (and metadata stripped) even for a plain model.</summary>
    public static bool Present(HttpRequest request, ReadOnlySpan<byte> body, ChatRequestEnvelope envelope)
    {
        if (envelope.IndexOf(body, "metadata"u8) >= 0) return true;
        foreach (var (header, _) in Headers)
        {
            if (request.Headers.ContainsKey(header)) return true;
        }
        return false;
    }
}
