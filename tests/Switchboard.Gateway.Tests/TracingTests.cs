using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

public sealed class TracingTests
{
    [Fact]
    public async Task A_request_is_a_chat_span_with_the_decision_and_an_attempt_span_per_call()
    {
        await using var backup = await FakeOpenAIUpstream.StartAsync();
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SwitchboardTracing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await GatewayHost.StartAsync($$"""
            providers:
              backup: { type: openai-compatible, base_url: "{{backup.BaseUrl}}", api_key: sk-backup-key }
            resilience: { retries: 0 }
            routes:
              traced: { strategy: fallback, targets: [gpt-4o-mini, backup/gpt-4o-mini] }
            """);
        host.Fake.Enqueue(UpstreamFault.Status(503));

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("traced"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var chat = spans.Single(s => s.OperationName == "chat" && (string?)s.GetTagItem("switchboard.route") == "traced");
        chat.GetTagItem("switchboard.provider").ShouldBe("backup");
        chat.GetTagItem("switchboard.attempts").ShouldBe(2);
        chat.GetTagItem("http.response.status_code").ShouldBe(200);
        var attempts = spans.Where(s => s.OperationName == "attempt" && s.ParentSpanId == chat.SpanId).OrderBy(s => s.StartTimeUtc).ToList();
        attempts.Select(a => (string?)a.GetTagItem("switchboard.outcome")).ShouldBe(["unavailable:503", "ok"]);
        attempts[0].Status.ShouldBe(ActivityStatusCode.Error);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_spans_are_exported_over_otlp_http_and_never_carry_the_key()
    {
        var received = new ConcurrentQueue<(string? ContentType, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/traces", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.ContentType, body.ToArray()));
            return Results.Ok();
        });
        await collector.StartAsync();
        var host = await GatewayHost.StartAsync($"telemetry: {{ otlp_endpoint: \"{collector.Urls.First()}\", service_name: switchboard-test }}");

        (await host.PostChatAsync(GatewayHost.ChatBody())).StatusCode.ShouldBe(HttpStatusCode.OK);
        await host.DisposeAsync();

        received.ShouldNotBeEmpty();
        var (contentType, payload) = received.First();
        contentType.ShouldBe("application/x-protobuf");
        var text = Encoding.UTF8.GetString(received.SelectMany(r => r.Body).ToArray());
        text.ShouldContain("switchboard-test");
        text.ShouldContain("chat");
        text.ShouldContain("attempt");
        text.ShouldContain("gpt-4o-mini");
        text.ShouldNotContain(GatewayHost.OpenAIKey);
        payload.Length.ShouldBeGreaterThan(0);
    }
}
