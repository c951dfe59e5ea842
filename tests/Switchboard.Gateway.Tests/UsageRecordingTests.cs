using System.Net;
using Shouldly;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>What each request's usage record says it used and cost, read back through <c>GET /api/usage</c>.</summary>
public sealed class UsageRecordingTests
{
    [Fact]
    public async Task An_openai_answer_with_cached_and_reasoning_tokens_is_priced_per_token_kind()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody("gpt-4o-mini"));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);

        var totals = await UsageApi.TotalsAsync(host.Http);
        totals.GetProperty("requests").GetInt64().ShouldBe(1);
        totals.GetProperty("input_tokens").GetInt64().ShouldBe(19);
        totals.GetProperty("cached_input_tokens").GetInt64().ShouldBe(4);
        totals.GetProperty("output_tokens").GetInt64().ShouldBe(10);
        totals.GetProperty("reasoning_tokens").GetInt64().ShouldBe(2);
        // gpt-4o-mini: 15 uncached input at $0.15/M, 4 cached at $0.075/M, 10 output (2 of them reasoning) at $0.60/M.
        const decimal expected = (15 * 0.15m + 4 * 0.075m + 10 * 0.60m) / 1_000_000m;
        expected.ShouldBe(0.00000855m);
        totals.GetProperty("cost_usd").GetDecimal().ShouldBe(expected);
        totals.GetProperty("unknown_cost_requests").GetInt64().ShouldBe(0);
        totals.GetProperty("estimated_usage_requests").GetInt64().ShouldBe(0);
        response.Header("x-switchboard-cost-usd").ShouldBe("0.00000855");
    }

    [Fact]
    public async Task An_anthropic_answer_with_cache_reads_and_writes_is_priced_per_token_kind()
    {
        await using var host = await AnthropicGatewayHost.StartAsync();

        using var response = await host.PostMessagesAsync("""{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"Hello"}]}""");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var totals = await UsageApi.TotalsAsync(host.Http);
        totals.GetProperty("input_tokens").GetInt64().ShouldBe(FakeAnthropicUpstream.PromptTokens);
        totals.GetProperty("cached_input_tokens").GetInt64().ShouldBe(100);
        totals.GetProperty("cache_write_tokens").GetInt64().ShouldBe(30);
        totals.GetProperty("output_tokens").GetInt64().ShouldBe(15);
        // claude-sonnet-4-5: 25 uncached input at $3/M, 100 cache reads at $0.30/M, 30 cache writes at $3.75/M, 15 output at $15/M.
        const decimal expected = (25 * 3m + 100 * 0.30m + 30 * 3.75m + 15 * 15m) / 1_000_000m;
        expected.ShouldBe(0.0004425m);
        totals.GetProperty("cost_usd").GetDecimal().ShouldBe(expected);
    }

    [Fact]
    public async Task A_streams_usage_is_recorded_from_its_final_chunk_without_showing_it_to_a_client_that_did_not_ask()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true"));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        payloads[^1].ShouldBe("[DONE]");
        payloads.ShouldAllBe(p => !p.Contains("\"usage\":{"));
        var totals = await UsageApi.TotalsAsync(host.Http);
        totals.GetProperty("input_tokens").GetInt64().ShouldBe(FakeOpenAIUpstream.PromptTokens);
        totals.GetProperty("output_tokens").GetInt64().ShouldBe(FakeOpenAIUpstream.CompletionTokens);
        totals.GetProperty("cached_input_tokens").GetInt64().ShouldBe(FakeOpenAIUpstream.CachedTokens);
        totals.GetProperty("estimated_usage_requests").GetInt64().ShouldBe(0);
        totals.GetProperty("cost_usd").GetDecimal().ShouldBe(0.00000855m);
    }

    [Fact]
    public async Task A_client_that_asked_for_include_usage_sees_the_usage_chunk_and_it_is_recorded_once()
    {
        await using var host = await GatewayHost.StartAsync();

        using var response = await host.PostChatAsync(GatewayHost.ChatBody(extra: "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        var payloads = Sse.DataPayloads(await response.Content.ReadAsStringAsync());

        payloads.Count(p => p.Contains("\"prompt_tokens\":19", StringComparison.Ordinal)).ShouldBe(1);
        var totals = await UsageApi.TotalsAsync(host.Http);
        totals.GetProperty("requests").GetInt64().ShouldBe(1);
        totals.GetProperty("input_tokens").GetInt64().ShouldBe(FakeOpenAIUpstream.PromptTokens);
    }
}
