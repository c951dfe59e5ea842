using System.Net;
using System.Text;
using System.Text.Json;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>A stream is copied as it arrives, never buffered whole.</summary>
public sealed class StreamingTests
{
    // Only a guard against a hang when the gateway buffers; nothing here measures time.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Client_reads_the_first_chunk_while_the_provider_is_still_holding_the_rest()
    {
        await using var host = await GatewayHost.StartAsync();
        var gate = host.Fake.HoldStream();
        using var guard = new CancellationTokenSource(Guard);

        using var response = await host.PostRawAsync(
            Encoding.UTF8.GetBytes(GatewayHost.ChatBody(extra: "\"stream\":true")), completion: HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        response.Header("x-switchboard-provider").ShouldBe("openai");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));

        var first = await ReadDataLineAsync(reader, guard.Token);

        gate.IsReleased.ShouldBeFalse();
        using (var chunk = JsonDocument.Parse(first!))
        {
            chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().ShouldBe("assistant");
        }

        gate.Release();
        var rest = new List<string>();
        while (await ReadDataLineAsync(reader, guard.Token) is { } line) rest.Add(line);
        rest[^1].ShouldBe("[DONE]");
        Sse.Content(rest).ShouldBe(FakeOpenAIUpstream.StreamText);
    }

    [Fact]
    public async Task Stream_response_carries_the_decision_headers_and_no_caching()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Header("x-switchboard-provider").ShouldBe("openai");
        response.Header("x-switchboard-model").ShouldBe("gpt-4o-mini");
        response.Attempts().ShouldBe(["openai/gpt-4o-mini ok"]);
        double.Parse(response.Header("x-switchboard-overhead-ms"), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(0);
        response.Headers.CacheControl!.NoCache.ShouldBeTrue();
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());
        payloads[^1].ShouldBe("[DONE]");
        Sse.Content(payloads).ShouldBe(FakeOpenAIUpstream.StreamText);
    }

    private static async Task<string?> ReadDataLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal)) return line[5..].TrimStart();
        }
        return null;
    }
}
