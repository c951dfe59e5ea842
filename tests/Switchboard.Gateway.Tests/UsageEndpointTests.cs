using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary><c>GET /api/usage</c>: the usage log grouped and totalled, as JSON or CSV.</summary>
public sealed class UsageEndpointTests
{
    /// <summary>Two requests to gpt-4o-mini and one to gpt-4.1, both answered by the fake with the same usage.</summary>
    private static async Task<GatewayHost> StartWithTrafficAsync(string yaml = "")
    {
        var host = await GatewayHost.StartAsync(yaml);
        foreach (var model in new[] { "gpt-4o-mini", "gpt-4.1", "gpt-4o-mini" })
        {
            using var response = await host.PostChatAsync(GatewayHost.ChatBody(model), r => r.Headers.Add("x-switchboard-agent", "pricing"));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        return host;
    }

    [Fact]
    public async Task Grouped_by_model_there_is_a_row_per_model_and_the_totals_of_all()
    {
        await using var host = await StartWithTrafficAsync();

        var report = await UsageApi.ReportAsync(host.Http, "group_by=model");

        report.GetProperty("group_by").EnumerateArray().Select(e => e.GetString()).ShouldBe(["model"]);
        var rows = report.GetProperty("rows").EnumerateArray().ToList();
        rows.Select(r => r.GetProperty("model").GetString()).ShouldBe(["gpt-4.1", "gpt-4o-mini"]);
        rows.Select(r => r.GetProperty("requests").GetInt64()).ShouldBe([1L, 2L]);
        var totals = report.GetProperty("totals");
        totals.GetProperty("requests").GetInt64().ShouldBe(3);
        totals.GetProperty("input_tokens").GetInt64().ShouldBe(3 * 19);
        rows.Sum(r => r.GetProperty("cost_usd").GetDecimal()).ShouldBe(totals.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Filters_narrow_the_report()
    {
        await using var host = await StartWithTrafficAsync();

        var totals = (await UsageApi.ReportAsync(host.Http, "model=gpt-4.1&agent=pricing&provider=openai")).GetProperty("totals");
        var none = (await UsageApi.ReportAsync(host.Http, "agent=someone-else")).GetProperty("totals");
        var future = (await UsageApi.ReportAsync(host.Http, "from=2999-01-01")).GetProperty("totals");

        totals.GetProperty("requests").GetInt64().ShouldBe(1);
        none.GetProperty("requests").GetInt64().ShouldBe(0);
        future.GetProperty("requests").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Csv_has_a_header_a_line_per_group_and_a_total_line()
    {
        await using var host = await StartWithTrafficAsync();

        using var response = await host.Http.GetAsync("api/usage?group_by=provider,model&format=csv");
        var csv = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, csv);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(4);
        lines[0].ShouldBe("provider,model,requests,errors,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd,unknown_cost_requests,estimated_usage_requests");
        lines[1].ShouldStartWith("openai,gpt-4.1,1,0,19,4,0,10,2,");
        lines[2].ShouldStartWith("openai,gpt-4o-mini,2,0,38,8,0,20,4,0.0000171,0,0");
        lines[3].ShouldStartWith("total,,3,0,57,12,0,30,6,");
    }

    [Fact]
    public async Task Accept_text_csv_gets_csv_without_a_format_parameter()
    {
        await using var host = await StartWithTrafficAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/usage?group_by=day");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        using var response = await host.Http.SendAsync(request);
        var csv = await response.Content.ReadAsStringAsync();

        csv.ShouldStartWith("day,requests,");
        csv.ShouldContain("\r\ntotal,3,");
    }

    [Theory]
    [InlineData("group_by=model,colour", "group_by", "provider, model, key, user, agent, stage, route, day")]
    [InlineData("from=yesterday", "from", "2026-11-01")]
    [InlineData("format=xml", "format", "json or csv")]
    public async Task A_bad_parameter_is_a_400_naming_it_and_what_is_allowed(string query, string parameter, string allowed)
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.Http.GetAsync("api/usage?" + query);
        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);

        error.Message.ShouldContain(parameter);
        error.Message.ShouldContain(allowed);
    }

    [Fact]
    public async Task Usage_needs_the_master_key_when_one_is_set()
    {
        await using var host = await GatewayHost.StartAsync("server: { master_key: env:SB_MASTER }", env => env["SB_MASTER"] = "sk-master-usage-42");

        using var without = await host.Http.GetAsync("api/usage");
        using var with = new HttpRequestMessage(HttpMethod.Get, "api/usage") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "sk-master-usage-42") } };
        using var allowed = await host.Http.SendAsync(with);

        without.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Without_a_store_usage_is_a_clear_error()
    {
        await using var host = await GatewayHost.StartAsync(storage: "none");

        using var response = await host.Http.GetAsync("api/usage");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("storage: none");
    }
}
