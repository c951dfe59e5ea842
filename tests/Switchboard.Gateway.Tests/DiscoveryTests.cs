using System.Net;
using System.Text.Json;
using OpenAI;
using OpenAI.Models;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary><c>/v1/models</c> lists what can be called; the health checks answer JSON.</summary>
public sealed class DiscoveryTests
{
    private const string Yaml = """
        providers:
          groq: { base_url: "{fake}", api_key: env:GROQ_API_KEY }
        aliases:
          fast: groq/llama-3.3-70b-versatile
        """;

    private static Task<GatewayHost> StartAsync() => GatewayHost.StartAsync(Yaml, env => env["GROQ_API_KEY"] = "gsk_test-groq-key-123");

    [Fact]
    public async Task Models_lists_the_models_of_enabled_providers_in_openais_shape()
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync("v1/models");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        root.GetProperty("object").GetString().ShouldBe("list");
        var models = root.GetProperty("data").EnumerateArray().ToList();
        foreach (var model in models)
        {
            model.GetProperty("id").GetString().ShouldNotBeNullOrEmpty();
            model.GetProperty("object").GetString().ShouldBe("model");
            model.GetProperty("created").GetInt64().ShouldBeGreaterThan(0);
            model.GetProperty("owned_by").GetString().ShouldNotBeNullOrEmpty();
        }
        var byId = models.ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("owned_by").GetString());
        byId["gpt-4o-mini"].ShouldBe("openai");
        byId["o3-mini"].ShouldBe("openai");
        // Listed by the bare id because that id already leads to groq; a client can send it as it is.
        byId["llama-3.3-70b-versatile"].ShouldBe("groq");
        byId.ShouldContainKey("fast");
        byId.Values.ShouldNotContain("anthropic", "no ANTHROPIC_API_KEY is set");
        byId.Values.ShouldNotContain("deepseek", "no DEEPSEEK_API_KEY is set");
        byId.Keys.ShouldNotContain(id => id.StartsWith("claude-", StringComparison.Ordinal));
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Every_listed_model_can_be_requested_by_its_listed_id()
    {
        await using var host = await StartAsync();
        using var list = JsonDocument.Parse(await host.Http.GetStringAsync("v1/models"));

        var ids = list.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
        foreach (var id in ids)
        {
            using var response = await host.PostChatAsync(GatewayHost.ChatBody(id));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, $"{id}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task Sdk_lists_models_through_the_gateway()
    {
        await using var host = await StartAsync();
        var client = new OpenAIModelClient(new System.ClientModel.ApiKeyCredential("sk-client"), new OpenAIClientOptions { Endpoint = host.V1 });

        var models = (await client.GetModelsAsync()).Value;

        models.Select(m => m.Id).ShouldContain("gpt-4o-mini");
        models.Single(m => m.Id == "gpt-4o-mini").OwnedBy.ShouldBe("openai");
    }

    [Fact]
    public async Task Health_live_answers_200_json()
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync("health/live");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("status").GetString().ShouldBe("live");
    }

    [Fact]
    public async Task Health_ready_answers_200_json_with_the_enabled_providers()
    {
        await using var host = await StartAsync();

        using var response = await host.Http.GetAsync("health/ready");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("status").GetString().ShouldBe("ready");
        body.RootElement.GetProperty("providers").EnumerateArray().Select(p => p.GetString()).Order()
            .ShouldBe(["groq", "openai"]);
    }
}
