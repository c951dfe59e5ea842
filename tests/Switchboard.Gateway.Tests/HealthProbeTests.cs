using System.Net;
using System.Text.Json;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

public sealed class HealthProbeTests
{
    [Fact]
    public async Task Probes_are_off_by_default()
    {
        await using var host = await GatewayHost.StartAsync();
        (await host.PostChatAsync(GatewayHost.ChatBody())).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Task.Delay(TimeSpan.FromMilliseconds(500));

        host.Fake.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task With_an_interval_each_deployment_called_so_far_gets_a_one_token_probe_and_its_failures_count_in_its_health()
    {
        await using var host = await GatewayHost.StartAsync("resilience: { probe_interval: 200ms, retries: 0 }");
        (await host.PostChatAsync(GatewayHost.ChatBody())).StatusCode.ShouldBe(HttpStatusCode.OK);
        for (var i = 0; i < 3; i++) host.Fake.Enqueue(UpstreamFault.Status(503));

        var probe = await WaitForAsync(() => host.Fake.Requests.Skip(1).FirstOrDefault());
        using var body = JsonDocument.Parse(probe.Body);
        body.RootElement.GetProperty("model").GetString().ShouldBe("gpt-4o-mini");
        body.RootElement.GetProperty("max_tokens").GetInt32().ShouldBe(1);
        body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString().ShouldBe("ping");

        var status = await WaitForAsync(async () =>
        {
            using var health = JsonDocument.Parse(await host.Http.GetStringAsync("health/providers"));
            var openai = health.RootElement.GetProperty("providers").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "openai");
            return openai.GetProperty("failures").GetInt32() >= 3 ? openai.GetProperty("status").GetString() : null;
        });
        status.ShouldBe("down");
    }

    private static Task<T> WaitForAsync<T>(Func<T?> probe) where T : class => WaitForAsync(() => Task.FromResult(probe()));

    /// <summary>Polls until <paramref name="probe"/> gives a value; fails after ten seconds, which no healthy run comes near.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            if (await probe() is { } value) return value;
            if (DateTime.UtcNow > deadline) throw new ShouldAssertException("the probe never came within ten seconds");
            await Task.Delay(50);
        }
    }
}
