using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

public sealed class RouteExplainTests
{
    private const string Config = """
        providers:
          backup: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1", api_key: sk-backup }
        models:
          - { name: backup/plain, capabilities: [streaming] }
        routes:
          smart: { strategy: fallback, targets: [gpt-4o-mini, backup/plain, gpt-4.1] }
        agents:
          pricing: [gpt-4.1]
        """;

    private static async Task<JsonElement> ExplainAsync(GatewayHost host, string body, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/route/explain") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        configure?.Invoke(request);
        using var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Explain_lists_the_candidates_in_order_with_reasons_and_skips_and_calls_no_one()
    {
        await using var host = await GatewayHost.StartAsync(Config);
        const string Tools = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]";

        var decision = await ExplainAsync(host, GatewayHost.ChatBody("smart", Tools));

        decision.GetProperty("route").GetString().ShouldBe("smart");
        var candidates = decision.GetProperty("candidates").EnumerateArray().ToList();
        candidates.Select(c => c.GetProperty("provider").GetString() + "/" + c.GetProperty("model").GetString()).ShouldBe(["openai/gpt-4o-mini", "openai/gpt-4.1"]);
        candidates[0].GetProperty("reason").GetString().ShouldBe("smart: first in order");
        candidates[0].GetProperty("circuit").GetString().ShouldBe("closed");
        candidates[0].GetProperty("provider_status").GetString().ShouldBe("healthy");
        var skipped = decision.GetProperty("skipped").EnumerateArray().Single();
        skipped.GetProperty("target").GetString().ShouldBe("backup/plain");
        skipped.GetProperty("reason").GetString().ShouldBe("the request has tools; the model does not take tools");
        decision.GetProperty("estimated_tokens").GetInt32().ShouldBeGreaterThan(0);
        decision.GetProperty("complexity").GetDouble().ShouldBeInRange(0, 10);
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Explain_reads_the_routing_headers()
    {
        await using var host = await GatewayHost.StartAsync(Config);

        var decision = await ExplainAsync(host, GatewayHost.ChatBody("gpt-4o-mini"), r => r.Headers.Add("x-switchboard-agent", "pricing"));

        decision.GetProperty("route").GetString().ShouldBe("agent:pricing");
        decision.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("model").GetString()).ShouldBe(["gpt-4.1", "gpt-4o-mini"]);
    }

    [Fact]
    public async Task An_agent_header_routes_a_real_request_and_names_the_route()
    {
        await using var host = await GatewayHost.StartAsync(Config);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"), r => r.Headers.Add("x-switchboard-agent", "pricing"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Header("x-switchboard-route").ShouldBe("agent:pricing");
        response.Header("x-switchboard-model").ShouldBe("gpt-4.1");
    }

    [Fact]
    public async Task Routing_fields_in_metadata_are_read_and_not_sent_on_while_other_metadata_is()
    {
        await using var host = await GatewayHost.StartAsync(Config);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini", "\"metadata\":{\"agent\":\"pricing\",\"priority\":0,\"team\":\"web\"}"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-route").ShouldBe("agent:pricing");
        var sent = JsonDocument.Parse(host.Fake.Requests.Single().Body).RootElement;
        sent.GetProperty("metadata").GetRawText().ShouldBe("{\"team\":\"web\"}");
    }

    [Fact]
    public async Task Metadata_with_only_routing_fields_is_left_out_entirely()
    {
        await using var host = await GatewayHost.StartAsync(Config);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini", "\"metadata\":{\"priority\":1}"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(host.Fake.Requests.Single().Body).RootElement.TryGetProperty("metadata", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_priority_that_is_not_a_number_is_a_400_naming_the_field()
    {
        await using var host = await GatewayHost.StartAsync(Config);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("smart"), r => r.Headers.Add("x-switchboard-priority", "urgent"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Message.ShouldStartWith("The routing field priority must be a number, not 'urgent'.");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Health_providers_shows_each_providers_status_and_deployments()
    {
        await using var host = await GatewayHost.StartAsync(Config);
        (await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var document = JsonDocument.Parse(await host.Http.GetStringAsync("health/providers"));

        var openai = document.RootElement.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "openai");
        openai.GetProperty("status").GetString().ShouldBe("healthy");
        openai.GetProperty("calls").GetInt32().ShouldBe(1);
        openai.GetProperty("error_rate").GetDouble().ShouldBe(0);
        var deployment = openai.GetProperty("deployments").EnumerateArray().Single();
        deployment.GetProperty("model").GetString().ShouldBe("gpt-4o-mini");
        deployment.GetProperty("circuit").GetString().ShouldBe("closed");
        deployment.GetProperty("in_flight").GetInt32().ShouldBe(0);
        deployment.GetProperty("first_byte_ms").GetDouble().ShouldBeGreaterThan(0);
    }
}
