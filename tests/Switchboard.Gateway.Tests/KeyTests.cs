using System.Net;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Provider keys: checked before any call, rotated when refused, and never shown to a client.</summary>
public sealed class KeyTests
{
    private const string FirstKey = "sk-test-first-1111111";
    private const string SecondKey = "sk-test-second-2222222";

    [Fact]
    public async Task Missing_key_names_the_variable_and_the_fix_and_calls_no_one()
    {
        await using var host = await GatewayHost.StartAsync(environment: env => env.Remove("OPENAI_API_KEY"));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4-turbo"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldBe("Missing OPENAI_API_KEY for model gpt-4-turbo. Set it: export OPENAI_API_KEY=sk-...");
        error.Code.ShouldBe("missing_api_key");
        error.Type.ShouldBe("authentication_error");
        response.Header("x-switchboard-provider").ShouldBe("openai");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Missing_key_of_a_configured_provider_names_the_configured_variable()
    {
        await using var host = await GatewayHost.StartAsync("providers: { groq: { base_url: \"{fake}\", api_key: env:MY_GROQ_KEY } }");

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("groq/llama-3.3-70b-versatile"));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldBe("Missing MY_GROQ_KEY for model groq/llama-3.3-70b-versatile. Set it: export MY_GROQ_KEY=gsk_...");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(429)]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Refused_or_rate_limited_first_key_falls_over_to_the_second_and_rests(int status)
    {
        await using var host = await GatewayHost.StartAsync(environment: env => env["OPENAI_API_KEY"] = $"{FirstKey}, {SecondKey}");
        host.Fake.Enqueue(UpstreamFault.Status(status));

        using var first = await host.PostChatAsync(GatewayHost.ChatBody());

        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        first.Attempts().ShouldBe([$"openai/gpt-4o-mini {Outcome(status)}", "openai/gpt-4o-mini ok"]);
        var requests = host.Fake.Requests;
        requests.Count.ShouldBe(2);
        requests[0].Headers["authorization"].ShouldBe("Bearer " + FirstKey);
        requests[1].Headers["authorization"].ShouldBe("Bearer " + SecondKey);
        requests[1].Body.ShouldBe(requests[0].Body);

        using var second = await host.PostChatAsync(GatewayHost.ChatBody());

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        second.Attempts().ShouldBe(["openai/gpt-4o-mini ok"]);
        host.Fake.Requests[2].Headers["authorization"].ShouldBe("Bearer " + SecondKey);
    }

    [Fact]
    public async Task Every_key_rate_limited_is_a_429_after_trying_each_once()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { retries: 0 }", env => env["OPENAI_API_KEY"] = $"{FirstKey},{SecondKey}");
        host.Fake.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(5)));
        host.Fake.Enqueue(UpstreamFault.Status(429, retryAfter: TimeSpan.FromSeconds(5)));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Code.ShouldBe("rate_limit_exceeded");
        response.Attempts().ShouldBe(["openai/gpt-4o-mini rate_limited:429", "openai/gpt-4o-mini rate_limited:429"]);
        response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
        host.Fake.Requests.Select(r => r.Headers["authorization"]).ShouldBe(["Bearer " + FirstKey, "Bearer " + SecondKey]);
    }

    [Fact]
    public async Task Refused_only_key_is_a_401_with_the_providers_message()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(401));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldStartWith("Incorrect API key provided: sk-abc***xyz.");
        error.Code.ShouldBe("invalid_api_key");
        error.Type.ShouldBe("authentication_error");
        response.Header("x-switchboard-provider").ShouldBe("openai");
        response.Attempts().ShouldBe(["openai/gpt-4o-mini authentication:401"]);
        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Key_echoed_in_an_upstream_error_message_never_reaches_the_client()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(401, body: $$$"""
            {"error":{"message":"Incorrect API key provided: {{{GatewayHost.OpenAIKey}}}. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}
            """));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        body.ShouldNotContain(GatewayHost.OpenAIKey);
        response.AllHeaders().ShouldNotContain(GatewayHost.OpenAIKey);
        OpenAIError.Parse(body).Message.ShouldStartWith("Incorrect API key provided: ***.");
    }

    [Fact]
    public async Task Key_echoed_in_a_body_that_is_not_json_never_reaches_the_client()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(403, body: $"forbidden for key {GatewayHost.OpenAIKey}"));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        body.ShouldNotContain(GatewayHost.OpenAIKey);
        response.AllHeaders().ShouldNotContain(GatewayHost.OpenAIKey);
        OpenAIError.Parse(body).Message.ShouldBe("forbidden for key ***");
    }

    [Fact]
    public async Task Key_echoed_in_an_upstream_errors_param_or_code_never_reaches_the_client()
    {
        await using var host = await GatewayHost.StartAsync();
        host.Fake.Enqueue(UpstreamFault.Status(400, body: $$$"""
            {"error":{"message":"Bad header.","type":"invalid_request_error","param":"Authorization: Bearer {{{GatewayHost.OpenAIKey}}}","code":"{{{GatewayHost.OpenAIKey}}}"}}
            """));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        body.ShouldNotContain(GatewayHost.OpenAIKey);
    }

    [Fact]
    public async Task Key_never_appears_in_a_successful_response()
    {
        await using var host = await GatewayHost.StartAsync();

        using var whole = await host.PostChatAsync(GatewayHost.ChatBody());
        using var streamed = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        foreach (var response in new[] { whole, streamed })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(GatewayHost.OpenAIKey);
            response.AllHeaders().ShouldNotContain(GatewayHost.OpenAIKey);
        }
    }

    private static string Outcome(int status) => (status == 429 ? "rate_limited:" : "authentication:") + status;
}
