using System.Net;
using Shouldly;

namespace Switchboard.Gateway.Tests;

internal static class HttpResponseAssertions
{
    /// <summary>Asserts the status, a JSON content type and OpenAI's error shape; returns the error.</summary>
    public static async Task<OpenAIError> ShouldBeOpenAIErrorAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json", body);
        return OpenAIError.Parse(body);
    }

    public static string Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : throw new ShouldAssertException($"The response has no {name} header. It has: {string.Join(", ", response.Headers.Select(h => h.Key))}");

    public static string? HeaderOrNull(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

    /// <summary>
    /// The calls the gateway made, from <c>x-switchboard-attempts</c>, each as <c>provider/model outcome</c> without its
    /// time (<c>openai/gpt-4o-mini ok</c>, <c>openai/gpt-4o-mini rate_limited:429</c>).
    /// </summary>
    public static string[] Attempts(this HttpResponseMessage response) =>
        response.HeaderOrNull("x-switchboard-attempts") is not { } header ? []
        : header.Split(", ").Select(a =>
        {
            a.ShouldMatch(@"^\S+/\S+ \S+ \d+ms$", "each attempt is 'provider/model outcome Nms'");
            return a[..a.LastIndexOf(' ')];
        }).ToArray();

    /// <summary>Every header as <c>name: value</c> lines, for asserting what must never appear in one.</summary>
    public static string AllHeaders(this HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => h.Key + ": " + string.Join(", ", h.Value)));
}
