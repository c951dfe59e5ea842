using System.Text;
using System.Text.Json;

namespace Switchboard.Testing;

/// <summary>One HTTP request exactly as a fake upstream received it.</summary>
/// <param name="Method">The HTTP method, e.g. <c>POST</c>.</param>
/// <param name="Path">The path including the base path, e.g. <c>/v1/chat/completions</c>.</param>
/// <param name="Query">The query string with its leading <c>?</c>, or empty.</param>
/// <param name="Headers">
/// Request headers keyed by lower-case name (lookups ignore case); repeated headers are joined with <c>", "</c>.
/// </param>
/// <param name="Body">The raw request body, empty when there was none.</param>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    /// <summary>The body decoded as UTF-8.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>Parses the body as JSON; the caller disposes the document.</summary>
    /// <exception cref="JsonException">The body is not valid JSON.</exception>
    public JsonDocument ParseBody() => JsonDocument.Parse(Body);
}
