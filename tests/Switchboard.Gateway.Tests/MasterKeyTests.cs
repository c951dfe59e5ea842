using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>With server.master_key set, only callers holding it get in; health checks stay open.</summary>
public sealed class MasterKeyTests
{
    private const string MasterKey = "sb-master-0123456789";
    private const string Yaml = "server: { master_key: env:SWITCHBOARD_MASTER_KEY }";

    private static Task<GatewayHost> StartAsync() =>
        GatewayHost.StartAsync(Yaml, env => env["SWITCHBOARD_MASTER_KEY"] = MasterKey);

    [Fact]
    public async Task Missing_master_key_is_a_401_that_says_how_to_send_it()
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldContain("Authorization: Bearer <key>");
        error.Code.ShouldBe("invalid_api_key");
        error.Type.ShouldBe("authentication_error");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Wrong_master_key_is_a_401_that_says_it_does_not_match()
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(),
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sb-master-wrong"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldContain("does not match");
        error.Code.ShouldBe("invalid_api_key");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Master_key_also_guards_models_and_unknown_routes()
    {
        await using var host = await StartAsync();

        using var models = await host.Http.GetAsync("v1/models");
        await models.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        using var unknown = await host.Http.GetAsync("v1/nothing-here");
        await unknown.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Health_checks_stay_open_without_the_master_key()
    {
        await using var host = await StartAsync();

        using var live = await host.Http.GetAsync("health/live");
        live.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var ready = await host.Http.GetAsync("health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Right_master_key_gets_through_and_the_provider_gets_its_own_key_not_the_master_key()
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(),
            r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MasterKey));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var sent = host.Fake.Requests.Single();
        sent.Headers["authorization"].ShouldBe("Bearer " + GatewayHost.OpenAIKey);
        sent.Headers.Values.ShouldNotContain(v => v.Contains(MasterKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Master_key_is_accepted_as_x_api_key_too()
    {
        await using var host = await StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(), r => r.Headers.Add("x-api-key", MasterKey));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("server: { host: 0.0.0.0 }", null)]
    [InlineData("", "0.0.0.0")]
    [InlineData("server: { host: \"::\" }", null)]
    public void Listening_beyond_loopback_without_a_master_key_refuses_to_build_and_says_to_set_master_key(string yaml, string? hostOverride)
    {
        var error = Should.Throw<ConfigException>(() => GatewayHost.Build(yaml, new Dictionary<string, string?> { ["OPENAI_API_KEY"] = GatewayHost.OpenAIKey }, hostOverride));

        error.Message.ShouldContain("master_key");
        error.Message.ShouldContain("SWITCHBOARD_MASTER_KEY");
        error.Message.ShouldContain("127.0.0.1");
    }

    [Fact]
    public async Task Listening_beyond_loopback_with_a_master_key_builds()
    {
        var env = new Dictionary<string, string?> { ["SWITCHBOARD_MASTER_KEY"] = MasterKey };

        await using WebApplication app = GatewayHost.Build("server: { host: 0.0.0.0 }", env);

        app.ShouldNotBeNull();
    }
}
