using System.Net;
using System.Text.Json;
using Shouldly;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Parameters are fitted to the model: unsupported ones dropped (or refused), renamed, or defaulted from config.</summary>
public sealed class ModelParameterTests
{
    [Fact]
    public async Task Reasoning_model_drops_temperature_says_so_and_renames_max_tokens()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("o3-mini", "\"temperature\":0.7,\"max_tokens\":256,\"x_keep\":1"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-dropped-params").ShouldBe("temperature");
        var sent = host.Fake.Requests.Single().BodyText;
        sent.ShouldBe("""{"model":"o3-mini","messages":[{"role":"user","content":"Hello!"}],"max_completion_tokens":256,"x_keep":1}""");
    }

    [Fact]
    public async Task Reasoning_model_drops_every_sampling_parameter_wherever_it_is()
    {
        await using var host = await GatewayHost.StartAsync();
        const string body = """{"top_p":0.9,"model":"o3-mini","presence_penalty":0.1,"messages":[{"role":"user","content":"Hi"}],"temperature":1}""";

        using var response = await host.PostChatAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        response.Header("x-switchboard-dropped-params").Split(',').Order().ShouldBe(["presence_penalty", "temperature", "top_p"]);
        var sent = host.Fake.Requests.Single().BodyText;
        sent.ShouldBe("""{"model":"o3-mini","messages":[{"role":"user","content":"Hi"}]}""");
    }

    [Fact]
    public async Task Max_tokens_is_dropped_when_max_completion_tokens_is_also_sent()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("o3-mini", "\"max_tokens\":10,\"max_completion_tokens\":20"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var sent = host.Fake.Requests.Single().ParseBody();
        sent.RootElement.TryGetProperty("max_tokens", out _).ShouldBeFalse();
        sent.RootElement.GetProperty("max_completion_tokens").GetInt32().ShouldBe(20);
    }

    [Fact]
    public async Task Model_that_accepts_temperature_keeps_it_and_max_tokens()
    {
        await using var host = await GatewayHost.StartAsync();
        var body = GatewayHost.ChatBody("gpt-4o-mini", "\"temperature\":0.7,\"max_tokens\":256");

        using var response = await host.PostChatAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.HeaderOrNull("x-switchboard-dropped-params").ShouldBeNull();
        host.Fake.Requests.Single().BodyText.ShouldBe(body);
    }

    [Fact]
    public async Task With_drop_unsupported_false_an_unsupported_parameter_is_a_400_naming_it()
    {
        await using var host = await GatewayHost.StartAsync("drop_unsupported: false");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("o3-mini", "\"temperature\":0.7"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Param.ShouldBe("temperature");
        error.Code.ShouldBe("unsupported_parameter");
        error.Message.ShouldBe("Model o3-mini does not accept 'temperature'. Remove it from the request, or set drop_unsupported: true in switchboard.yaml to have Switchboard drop it.");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Per_model_drop_unsupported_false_overrides_the_top_level_setting()
    {
        await using var host = await GatewayHost.StartAsync("models: [ { name: o3-mini, drop_unsupported: false } ]");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("o3-mini", "\"top_p\":0.5"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Param.ShouldBe("top_p");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Per_model_default_is_added_when_the_client_sends_none()
    {
        await using var host = await GatewayHost.StartAsync("models: [ { name: gpt-4o-mini, defaults: { temperature: 0.2 } } ]");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sent = host.Fake.Requests.Single().BodyText;
        sent.ShouldBe("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],"temperature":0.2}""");
    }

    [Fact]
    public async Task Per_model_default_does_not_override_the_clients_value()
    {
        await using var host = await GatewayHost.StartAsync("models: [ { name: gpt-4o-mini, defaults: { temperature: 0.2 } } ]");
        var body = GatewayHost.ChatBody("gpt-4o-mini", "\"temperature\":0.9");

        using var response = await host.PostChatAsync(body);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        host.Fake.Requests.Single().BodyText.ShouldBe(body);
    }

    [Fact]
    public async Task Per_model_defaults_of_several_kinds_are_added_as_json_values()
    {
        await using var host = await GatewayHost.StartAsync("""
            models:
              - name: gpt-4o-mini
                defaults:
                  max_tokens: 512
                  user: "42"
                  parallel_tool_calls: false
                  metadata: { team: search }
            """);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var sent = host.Fake.Requests.Single().ParseBody();
        var root = sent.RootElement;
        root.GetProperty("max_tokens").GetInt32().ShouldBe(512);
        root.GetProperty("user").GetString().ShouldBe("42");
        root.GetProperty("parallel_tool_calls").ValueKind.ShouldBe(JsonValueKind.False);
        root.GetProperty("metadata").GetProperty("team").GetString().ShouldBe("search");
    }
}
