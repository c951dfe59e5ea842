using System.Net;
using System.Net.Http.Headers;
using Shouldly;
using Switchboard.Storage;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>Two gateway processes on one PostgreSQL database enforce one budget and one rate limit between them.</summary>
public sealed class SharedBudgetTests
{
    private const string MasterKey = "sb-master-0123456789";

    [Fact]
    public async Task Two_gateways_on_one_postgres_enforce_one_shared_budget_and_rate_limit()
    {
        var (connection, schema) = await TestPostgres.CreateSchemaAsync();
        try
        {
            await using var first = await StartAsync(connection);
            await using var second = await StartAsync(connection);
            var created = await first.Store.CreateKeyAsync(new VirtualKeyOptions { BudgetUsd = 0.000001m, BudgetPeriod = BudgetPeriod.Day, RequestsPerMinute = 1000 });

            using var spent = await first.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
            spent.StatusCode.ShouldBe(HttpStatusCode.OK, await spent.Content.ReadAsStringAsync());
            spent.Header("x-ratelimit-remaining-requests").ShouldBe("999");

            using var refused = await second.PostChatAsync(GatewayHost.ChatBody(), Bearer(created.Key));
            var error = await refused.ShouldBeOpenAIErrorAsync(HttpStatusCode.TooManyRequests);
            error.Code.ShouldBe("budget_exceeded");
            error.Message.ShouldContain("day budget");
            // The second gateway counted the first's request in the same window.
            refused.Header("x-ratelimit-remaining-requests").ShouldBe("998");
            second.Fake.Requests.ShouldBeEmpty();
        }
        finally
        {
            await TestPostgres.DropSchemaAsync(schema);
        }
    }

    private static Task<GatewayHost> StartAsync(string connection) =>
        GatewayHost.StartAsync("server: { master_key: env:SWITCHBOARD_MASTER_KEY }", env => env["SWITCHBOARD_MASTER_KEY"] = MasterKey, storage: connection);

    private static Action<HttpRequestMessage> Bearer(string key) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
}
