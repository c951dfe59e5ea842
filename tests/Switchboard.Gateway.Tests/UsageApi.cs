using System.Net;
using System.Text.Json;
using Shouldly;

namespace Switchboard.Gateway.Tests;

/// <summary>Reads the usage log as a user would: <c>GET /api/usage</c>.</summary>
internal static class UsageApi
{
    /// <summary>The JSON report for <paramref name="query"/> (e.g. <c>group_by=model</c>); fails the test on any other status.</summary>
    public static async Task<JsonElement> ReportAsync(HttpClient http, string query = "")
    {
        using var response = await http.GetAsync("api/usage" + (query.Length > 0 ? "?" + query : ""));
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The totals of everything recorded so far.</summary>
    public static async Task<JsonElement> TotalsAsync(HttpClient http) => (await ReportAsync(http)).GetProperty("totals");
}
