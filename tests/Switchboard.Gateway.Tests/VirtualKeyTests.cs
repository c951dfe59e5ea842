using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Storage;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Virtual keys (<c>sk-sb-...</c>) as credentials: who may call, how often, and for how much.</summary>
public sealed class VirtualKeyTests
{
    private const string MasterKey = "sb-master-0123456789";
    private const string MasterYaml = "server: { master_key: env:SWITCHBOARD_MASTER_KEY }";

    /// <summary>Ten seconds into a minute, so a test's requests all fall in one rate window.</summary>
    private static ManualTimeProvider Clock() => new(new DateTimeOffset(2026, 3, 10, 12, 0, 10, TimeSpan.Zero));

    private static Task<GatewayHost> StartWithMasterKeyAsync(string yaml = MasterYaml, TimeProvider? time = null, string? storage = null) =>
        GatewayHost.StartAsync(yaml, env => env["SWITCHBOARD_MASTER_KEY"] = MasterKey, time, storage);

    private static Action<HttpRequestMessage> Bearer(string key) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

    [Fact]
    public async Task Virtual_key_gets_through_a_gateway_with_a_master_key_and_its_id_reaches_the_usage_record()
    {
        var storage = TestDatabases.NewSqlite();
        string keyText, keyId;
        await using (var host = await StartWithMasterKeyAsync(storage: storage))
        {
            var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { Name = "search", RequestsPerMinute = 100 });
            (keyText, keyId) = (created.Key, created.Record.Id);

            using var response = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(keyText));

            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            response.AllHeaders().ShouldNotContain(keyText);
            host.Fake.Requests.Single().Headers["authorization"].ShouldBe("Bearer " + GatewayHost.OpenAIKey);
        }

        await using var store = await SwitchboardStore.OpenAsync(storage, TimeProvider.System);
        var report = await store.QueryUsageAsync(new UsageQuery { GroupBy = [UsageDimension.Key] });
        report.Rows.Single().KeyId.ShouldBe(keyId);
        report.Rows.Single().Requests.ShouldBe(1);
        // The database and its write-ahead log, whichever holds the rows now.
        var file = storage["sqlite:".Length..];
        foreach (var part in Directory.GetFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
            File.ReadAllText(part, Encoding.Latin1).ShouldNotContain(keyText);
    }

    [Fact]
    public async Task Virtual_key_works_as_x_api_key_and_an_unknown_one_is_a_401()
    {
        await using var host = await StartWithMasterKeyAsync();
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions());

        using var ok = await host.PostChatAsync(GatewayHost.ChatBody(), r => r.Headers.Add("x-api-key", created.Key));
        ok.StatusCode.ShouldBe(HttpStatusCode.OK, await ok.Content.ReadAsStringAsync());

        using var unknown = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer("sk-sb-" + new string('x', 40)));
        var error = await unknown.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldContain("not known");
        error.Code.ShouldBe("invalid_api_key");
        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Without_a_master_key_no_key_passes_but_a_virtual_key_sent_is_checked()
    {
        await using var host = await GatewayHost.StartAsync();
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions());
        await host.Store.RevokeKeyAsync(created.Record.Id);

        using var open = await host.PostChatAsync(GatewayHost.ChatBody());
        open.StatusCode.ShouldBe(HttpStatusCode.OK, await open.Content.ReadAsStringAsync());

        using var revoked = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        var error = await revoked.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Code.ShouldBe("key_revoked");
    }

    [Fact]
    public async Task Revoked_key_is_a_401_saying_when_it_was_revoked()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { Name = "ci" });
        await host.Store.RevokeKeyAsync(created.Record.Id);

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldBe($"The virtual key 'ci' ({created.Record.Id}) was revoked at 2026-03-10 12:00:10 UTC. Ask for a new key.");
        error.Code.ShouldBe("key_revoked");
        error.Message.ShouldNotContain(created.Key);
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Expired_key_is_a_401_saying_it_expired()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { Expires = time.GetUtcNow().AddHours(1) });

        using var before = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        before.StatusCode.ShouldBe(HttpStatusCode.OK, await before.Content.ReadAsStringAsync());

        time.Advance(TimeSpan.FromHours(2));
        using var after = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));

        var error = await after.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);
        error.Message.ShouldContain("expired at 2026-03-10 13:00:10 UTC");
        error.Code.ShouldBe("key_expired");
        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Key_not_allowing_a_model_gets_a_403_naming_what_it_allows()
    {
        await using var host = await StartWithMasterKeyAsync();
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { AllowedModels = ["gpt-4o-mini"] });

        using var allowed = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"), Bearer(created.Key));
        allowed.StatusCode.ShouldBe(HttpStatusCode.OK, await allowed.Content.ReadAsStringAsync());
        using var refused = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4.1"), Bearer(created.Key));

        var error = await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.Forbidden);
        error.Message.ShouldContain("may not call model gpt-4.1");
        error.Message.ShouldContain("models gpt-4o-mini");
        error.Code.ShouldBe("model_not_allowed");
        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Key_not_allowing_a_route_gets_a_403()
    {
        await using var host = await StartWithMasterKeyAsync(MasterYaml + "\nroutes: { smart: { strategy: fallback, targets: [gpt-4o-mini] } }");
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { AllowedRoutes = ["cheap"] });

        using var refused = await host.PostChatAsync(GatewayHost.ChatBody("smart"), Bearer(created.Key));

        var error = await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.Forbidden);
        error.Message.ShouldContain("may not call route smart");
        error.Message.ShouldContain("routes cheap");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Requests_per_minute_allow_the_limit_then_refuse_with_retry_after_while_the_headers_count_down()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { RequestsPerMinute = 3, TokensPerMinute = 1000 });

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            response.Header("x-ratelimit-limit-requests").ShouldBe("3");
            response.Header("x-ratelimit-limit-tokens").ShouldBe("1000");
            remaining.Add(response.Header("x-ratelimit-remaining-requests"));
        }
        remaining.ShouldBe(["2", "1", "0"]);

        using var refused = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        var error = await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Message.ShouldContain("3 requests per minute");
        error.Code.ShouldBe("rate_limit_exceeded");
        error.Type.ShouldBe("rate_limit_error");
        refused.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(50));
        refused.Header("x-ratelimit-remaining-requests").ShouldBe("0");
        host.Fake.Requests.Count.ShouldBe(3);

        time.Advance(TimeSpan.FromSeconds(50));
        using var next = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        next.StatusCode.ShouldBe(HttpStatusCode.OK);
        next.Header("x-ratelimit-remaining-requests").ShouldBe("2");
    }

    [Fact]
    public async Task Tokens_per_minute_count_the_tokens_used_and_refuse_once_the_window_is_full()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { TokensPerMinute = FakeOpenAIUpstream.TotalTokens + 1 });

        using var first = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        first.Header("x-ratelimit-remaining-tokens").ShouldBe((FakeOpenAIUpstream.TotalTokens + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var second = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        second.Header("x-ratelimit-remaining-tokens").ShouldBe("1");
        using var third = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));

        var error = await third.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Message.ShouldContain("tokens per minute");
        third.Headers.RetryAfter.ShouldNotBeNull();
        host.Fake.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Key_over_its_budget_is_refused_naming_the_budget_and_when_it_resets()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { Name = "team", BudgetUsd = 1m, BudgetPeriod = BudgetPeriod.Day });
        await host.Store.AddSpendAsync(SpendScope.Key(created.Record.Id), 1.25m, time.GetUtcNow());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Message.ShouldBe($"The virtual key 'team' ({created.Record.Id}) has spent $1.25 of its day budget of $1.00. It resets at 2026-03-11 00:00:00 UTC.");
        error.Code.ShouldBe("budget_exceeded");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_request_adds_its_cost_to_the_key_provider_and_model_so_the_budget_runs_out()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { BudgetUsd = 0.000001m, BudgetPeriod = BudgetPeriod.Month });

        using var first = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var cost = decimal.Parse(first.Header("x-switchboard-cost-usd"), System.Globalization.CultureInfo.InvariantCulture);
        cost.ShouldBeGreaterThan(0.000001m);

        (await host.Store.GetSpendAsync(SpendScope.Key(created.Record.Id), BudgetPeriod.Month, time.GetUtcNow())).Usd.ShouldBe(cost);
        (await host.Store.GetSpendAsync(SpendScope.Provider("openai"), BudgetPeriod.Day, time.GetUtcNow())).Usd.ShouldBe(cost);
        (await host.Store.GetSpendAsync(SpendScope.Model("gpt-4o-mini"), BudgetPeriod.Total, time.GetUtcNow())).Usd.ShouldBe(cost);

        using var second = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        (await second.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests)).Code.ShouldBe("budget_exceeded");
        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_streamed_answer_is_charged_when_the_stream_ends()
    {
        var time = Clock();
        await using var host = await StartWithMasterKeyAsync(time: time);
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { BudgetUsd = 0.000001m, TokensPerMinute = 1000 });

        using var streamed = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}"), Bearer(created.Key));
        streamed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await streamed.Content.ReadAsStringAsync()).ShouldContain("[DONE]");

        // The stream's last bytes reach the client just before the gateway charges it; give it a moment.
        for (var i = 0; i < 50 && (await host.Store.GetSpendAsync(SpendScope.Key(created.Record.Id), BudgetPeriod.Month, time.GetUtcNow())).Usd == 0; i++)
            await Task.Delay(20);
        (await host.Store.GetSpendAsync(SpendScope.Key(created.Record.Id), BudgetPeriod.Month, time.GetUtcNow())).Usd.ShouldBeGreaterThan(0m);
        (await host.Store.GetRateAsync(RateScope.Tokens(created.Record.Id), time.GetUtcNow())).Count.ShouldBe(FakeOpenAIUpstream.TotalTokens);
        using var refused = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
        (await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests)).Code.ShouldBe("budget_exceeded");
    }

    [Fact]
    public async Task Anthropic_clients_send_the_virtual_key_as_x_api_key_and_get_refusals_in_their_shape()
    {
        await using var host = await StartWithMasterKeyAsync();
        var created = await host.Store.CreateKeyAsync(new VirtualKeyOptions { AllowedModels = ["gpt-4o-mini"] });

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent("""{"model":"gpt-4.1","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", created.Key);
        using var response = await host.Http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, body);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("type").GetString().ShouldBe("error");
        json.RootElement.GetProperty("error").GetProperty("type").GetString().ShouldBe("permission_error");
        json.RootElement.GetProperty("error").GetProperty("message").GetString()!.ShouldContain("may not call model gpt-4.1");
    }

    [Fact]
    public async Task Spent_provider_budget_refuses_every_request_to_it_naming_the_provider()
    {
        var time = Clock();
        await using var host = await GatewayHost.StartAsync("budgets: { providers: { openai: { usd: 5, period: week } } }", time: time);
        await host.Store.AddSpendAsync(SpendScope.Provider("openai"), 5m, time.GetUtcNow());

        using var response = await host.PostChatAsync(GatewayHost.ChatBody());

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Message.ShouldBe("The provider openai has spent $5.00 of its week budget of $5.00. It resets at 2026-03-16 00:00:00 UTC.");
        error.Code.ShouldBe("budget_exceeded");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Route_skips_a_target_whose_model_budget_is_spent_and_calls_the_next()
    {
        var time = Clock();
        await using var host = await GatewayHost.StartAsync(
            "budgets: { models: { gpt-4o: { usd: 1, period: day } } }\nroutes: { smart: { strategy: fallback, targets: [gpt-4o, gpt-4o-mini] } }", time: time);
        await host.Store.AddSpendAsync(SpendScope.Model("gpt-4o"), 2m, time.GetUtcNow());

        using var routed = await host.PostChatAsync(GatewayHost.ChatBody("smart"));
        routed.StatusCode.ShouldBe(HttpStatusCode.OK, await routed.Content.ReadAsStringAsync());
        routed.Header("x-switchboard-model").ShouldBe("gpt-4o-mini");

        using var direct = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o"));
        var error = await direct.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
        error.Message.ShouldContain("The model gpt-4o has spent $2.00 of its day budget of $1.00");
    }

    [Fact]
    public async Task Keys_api_without_a_master_key_is_a_403_saying_to_set_one()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.Http.GetAsync("api/keys");

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.Forbidden);
        error.Message.ShouldContain("SWITCHBOARD_MASTER_KEY");
    }

    [Fact]
    public async Task Keys_api_needs_the_master_key_shows_the_key_once_and_revokes_at_once()
    {
        await using var host = await StartWithMasterKeyAsync();

        using var anonymous = await host.Http.GetAsync("api/keys");
        await anonymous.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized);

        using var create = new HttpRequestMessage(HttpMethod.Post, "api/keys")
        {
            Content = new StringContent("""{"name":"search","allowed_models":["gpt-4o-mini"],"rpm":10,"budget_usd":5,"budget_period":"day","metadata":{"owner":"ana"}}""", Encoding.UTF8, "application/json"),
        };
        Bearer(MasterKey)(create);
        using var created = await host.Http.SendAsync(create);
        var createdBody = await created.Content.ReadAsStringAsync();
        created.StatusCode.ShouldBe(HttpStatusCode.Created, createdBody);
        using var createdJson = JsonDocument.Parse(createdBody);
        var key = createdJson.RootElement.GetProperty("key").GetString()!;
        var id = createdJson.RootElement.GetProperty("id").GetString()!;
        key.ShouldStartWith("sk-sb-");
        createdJson.RootElement.GetProperty("requests_per_minute").GetInt32().ShouldBe(10);
        created.AllHeaders().ShouldNotContain(key);

        using var keyOnKeys = await host.Http.SendAsync(With(new HttpRequestMessage(HttpMethod.Get, "api/keys"), key));
        (await keyOnKeys.ShouldBeOpenAIErrorAsync(HttpStatusCode.Forbidden)).Message.ShouldContain("master key");

        using var list = await host.Http.SendAsync(With(new HttpRequestMessage(HttpMethod.Get, "api/keys"), MasterKey));
        var listBody = await list.Content.ReadAsStringAsync();
        list.StatusCode.ShouldBe(HttpStatusCode.OK, listBody);
        listBody.ShouldContain(id);
        listBody.ShouldContain("\"name\":\"search\"");
        listBody.ShouldNotContain(key);
        listBody.ShouldNotContain("\"key\"");

        using var works = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(key));
        works.StatusCode.ShouldBe(HttpStatusCode.OK, await works.Content.ReadAsStringAsync());

        using var revoke = await host.Http.SendAsync(With(new HttpRequestMessage(HttpMethod.Delete, "api/keys/" + id), MasterKey));
        revoke.StatusCode.ShouldBe(HttpStatusCode.OK, await revoke.Content.ReadAsStringAsync());
        (await revoke.Content.ReadAsStringAsync()).ShouldContain("\"status\":\"revoked\"");

        using var refused = await host.PostChatAsync(GatewayHost.ChatBody(), Bearer(key));
        (await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.Unauthorized)).Code.ShouldBe("key_revoked");

        using var unknown = await host.Http.SendAsync(With(new HttpRequestMessage(HttpMethod.Post, "api/keys/vk_nothing/revoke"), MasterKey));
        await unknown.ShouldBeOpenAIErrorAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{not json", null)]
    [InlineData("""{"rpm":-1}""", "rpm")]
    [InlineData("""{"tpm":"many"}""", "tpm")]
    [InlineData("""{"budget_usd":-5}""", "budget_usd")]
    [InlineData("""{"budget_period":"year"}""", "budget_period")]
    [InlineData("""{"allowed_models":"gpt-4o"}""", "allowed_models")]
    [InlineData("""{"expires_at":"soon"}""", "expires_at")]
    [InlineData("""{"colour":"red"}""", "colour")]
    public async Task Bad_key_request_is_a_400_naming_the_field(string body, string? field)
    {
        await using var host = await StartWithMasterKeyAsync();

        using var request = With(new HttpRequestMessage(HttpMethod.Post, "api/keys") { Content = new StringContent(body, Encoding.UTF8, "application/json") }, MasterKey);
        using var response = await host.Http.SendAsync(request);

        var error = await response.ShouldBeOpenAIErrorAsync(HttpStatusCode.BadRequest);
        error.Param.ShouldBe(field);
        if (field is not null) error.Message.ShouldContain(field);
        (await host.Store.ListKeysAsync()).ShouldBeEmpty();
    }

    private static HttpRequestMessage With(HttpRequestMessage request, string key)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }
}
