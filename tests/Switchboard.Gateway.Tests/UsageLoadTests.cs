using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using Shouldly;
using Switchboard.Storage;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>
/// Under load, every request's usage record reaches the store: none lost in the batching, on SQLite and on
/// PostgreSQL (<c>SWITCHBOARD_TEST_POSTGRES</c>, started by ./test.sh), and none lost when the gateway stops
/// gracefully in the middle of it.
/// </summary>
public sealed class UsageLoadTests
{
    private const int Requests = 10_000;
    private const int Parallel = 32;

    private static readonly byte[] Body = Encoding.UTF8.GetBytes(GatewayHost.ChatBody());

    [Fact]
    public async Task Ten_thousand_requests_make_ten_thousand_usage_records_on_sqlite()
    {
        await using var host = await GatewayHost.StartAsync();

        var answered = await LoadAsync(host.Http, Requests, new StrongBox<long>(), CancellationToken.None);

        answered.ShouldBe(Requests);
        var totals = await UsageApi.TotalsAsync(host.Http);
        totals.GetProperty("requests").GetInt64().ShouldBe(Requests);
        totals.GetProperty("input_tokens").GetInt64().ShouldBe((long)Requests * FakeOpenAIUpstream.PromptTokens);
    }

    [Fact]
    public async Task Ten_thousand_requests_make_ten_thousand_usage_records_on_postgres()
    {
        var (connection, schema) = await TestPostgres.CreateSchemaAsync();
        try
        {
            await using var host = await GatewayHost.StartAsync(storage: connection);

            var answered = await LoadAsync(host.Http, Requests, new StrongBox<long>(), CancellationToken.None);

            answered.ShouldBe(Requests);
            var totals = await UsageApi.TotalsAsync(host.Http);
            totals.GetProperty("requests").GetInt64().ShouldBe(Requests);
            totals.GetProperty("output_tokens").GetInt64().ShouldBe((long)Requests * FakeOpenAIUpstream.CompletionTokens);
        }
        finally
        {
            await TestPostgres.DropSchemaAsync(schema);
        }
    }

    [Fact]
    public async Task A_graceful_stop_in_the_middle_of_a_load_loses_no_record_of_an_answered_request()
    {
        var storage = TestDatabases.NewSqlite();
        long answered;
        await using (var host = await GatewayHost.StartAsync(storage: storage))
        {
            using var stopLoad = new CancellationTokenSource();
            var progress = new StrongBox<long>();
            var load = LoadAsync(host.Http, int.MaxValue, progress, stopLoad.Token);
            // Stop only once the load is well under way, so requests are in flight when it comes.
            while (Interlocked.Read(ref progress.Value) < 500 && !load.IsCompleted) await Task.Delay(5);
            await host.App.StopAsync();
            await stopLoad.CancelAsync();
            answered = await load;
        }

        answered.ShouldBeGreaterThan(0);
        await using var store = await SwitchboardStore.OpenAsync(storage, TimeProvider.System);
        var report = await store.QueryUsageAsync(new UsageQuery());
        // A request can reach the gateway and be recorded while its client is cut off by the stop, so the store may
        // hold a few more records than answers; never fewer.
        report.Totals.Requests.ShouldBeGreaterThanOrEqualTo(answered);
        report.Totals.Requests.ShouldBeLessThan(answered + Parallel + 1);
    }

    /// <summary>Sends up to <paramref name="count"/> requests, <see cref="Parallel"/> at a time, until cancelled or refused.</summary>
    /// <returns>How many got a whole successful answer (also counted in <paramref name="answered"/> as they come).</returns>
    private static async Task<long> LoadAsync(HttpClient http, int count, StrongBox<long> answered, CancellationToken cancellationToken)
    {
        long sent = 0;
        async Task WorkerAsync()
        {
            while (!cancellationToken.IsCancellationRequested && Interlocked.Increment(ref sent) <= count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
                {
                    Content = new ByteArrayContent(Body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                };
                try
                {
                    using var response = await http.SendAsync(request, CancellationToken.None);
                    await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
                    if (response.StatusCode != HttpStatusCode.OK) return;
                    Interlocked.Increment(ref answered.Value);
                }
                catch (HttpRequestException)
                {
                    // The gateway stopped: it took no more requests.
                    return;
                }
            }
        }
        var workers = new Task[Parallel];
        for (var i = 0; i < workers.Length; i++) workers[i] = Task.Run(WorkerAsync, CancellationToken.None);
        await Task.WhenAll(workers);
        return Interlocked.Read(ref answered.Value);
    }
}
