using System.Text.Json.Nodes;
using Shouldly;
using Switchboard.Storage;
using Switchboard.Storage.Jobs;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Gateway.Tests;

/// <summary>The queue is durable: a job accepted survives a gateway's stop or death, and with many gateways runs once.</summary>
public sealed class JobDurabilityTests
{
    private const string Patient = "resilience: { timeout: 5m, response_timeout: 5m, total_timeout: 10m, retries: 0 }\n";

    [Fact]
    public async Task A_job_running_when_its_gateway_stops_is_finished_by_the_next_gateway_on_the_same_file()
    {
        var storage = TestDatabases.NewSqlite();
        string id;
        await using (var first = await GatewayHost.StartAsync(Patient, storage: storage))
        {
            first.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromMinutes(10)));
            id = (string)(await first.SubmitAsync("""{"input": "long one", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!;
            await first.WaitAsync(id, job => (string?)job["status"] == "running" && first.Fake.Requests.Count == 1);
        }

        await using var second = await GatewayHost.StartAsync(Patient + "jobs: { poll_interval: 100ms }", storage: storage);
        var job = await second.WaitAsync(id);

        ((string?)job["status"]).ShouldBe("succeeded", job.ToJsonString());
        ((int)job["attempts"]!).ShouldBe(2);
        second.Fake.Requests.ShouldHaveSingleItem().BodyText.ShouldContain("long one");
    }

    [Fact]
    public async Task A_job_cancelled_through_another_gateway_stops_here_at_the_next_lease_renewal()
    {
        var storage = TestDatabases.NewSqlite();
        await using var host = await GatewayHost.StartAsync(Patient + "jobs: { workers: 1, lease: 3s }", storage: storage);
        host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromMinutes(10)));
        var held = (string)(await host.SubmitAsync("""{"input": "held", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!;
        await host.WaitAsync(held, job => (string?)job["status"] == "running" && host.Fake.Requests.Count == 1);

        // What another gateway's POST /api/jobs/{id}/cancel does: it does not run the job, so only the store hears of it.
        await using (var other = await SwitchboardStore.OpenAsync(storage, TimeProvider.System))
            (await other.CancelJobAsync(held)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Cancelled);
        // The only worker slot comes free once the renewal (every second) finds the lease gone.
        var next = await host.WaitAsync((string)(await host.SubmitAsync("""{"input": "next", "provider": "openai", "model_name": "gpt-4o-mini"}"""))["id"]!);

        ((string?)next["status"]).ShouldBe("succeeded");
        ((string?)(await host.GetObjectAsync("api/jobs/" + held))["status"]).ShouldBe("cancelled");
    }

    [Fact]
    public async Task A_job_stored_while_no_gateway_runs_is_run_by_the_next_one()
    {
        var storage = TestDatabases.NewSqlite();
        string id;
        await using (var store = await SwitchboardStore.OpenAsync(storage, TimeProvider.System))
        {
            id = (await store.CreateJobAsync(JobIds.NewJobId(DateTimeOffset.UtcNow), Job("queued offline"))).Id;
        }

        await using var second = await GatewayHost.StartAsync(storage: storage);
        var job = await second.WaitAsync(id);

        ((string?)job["status"]).ShouldBe("succeeded");
        ((int)job["attempts"]!).ShouldBe(1);
    }

    [Fact]
    public async Task A_lease_left_by_a_dead_worker_runs_out_and_another_gateway_runs_the_job()
    {
        var storage = TestDatabases.NewSqlite();
        string id;
        await using (var store = await SwitchboardStore.OpenAsync(storage, TimeProvider.System))
        {
            id = (await store.CreateJobAsync(JobIds.NewJobId(DateTimeOffset.UtcNow), Job("orphaned"))).Id;
            // A worker that claims it and dies: nobody renews its short lease.
            (await store.ClaimJobAsync(new JobClaim { WorkerId = "dead-worker", Lease = TimeSpan.FromMilliseconds(300) })).ShouldNotBeNull();
        }

        await using var host = await GatewayHost.StartAsync("jobs: { poll_interval: 50ms }", storage: storage);
        var job = await host.WaitAsync(id);

        ((string?)job["status"]).ShouldBe("succeeded");
        ((int)job["attempts"]!).ShouldBe(2);
    }

    [Fact]
    public async Task A_job_whose_workers_died_max_attempts_times_fails_instead_of_running_again()
    {
        var storage = TestDatabases.NewSqlite();
        string id;
        await using (var store = await SwitchboardStore.OpenAsync(storage, TimeProvider.System))
        {
            id = (await store.CreateJobAsync(JobIds.NewJobId(DateTimeOffset.UtcNow), Job("poison"))).Id;
            (await store.ClaimJobAsync(new JobClaim { WorkerId = "dead-worker", Lease = TimeSpan.FromMilliseconds(100) })).ShouldNotBeNull();
        }

        await using var host = await GatewayHost.StartAsync("jobs: { poll_interval: 50ms, max_attempts: 1 }", storage: storage);
        var job = await host.WaitAsync(id);

        ((string?)job["status"]).ShouldBe("failed");
        ((string?)job["error"]!["type"]).ShouldBe("job_abandoned");
        ((string)job["error"]!["message"]!).ShouldContain("jobs.max_attempts: 1");
        host.Fake.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_gateways_on_one_postgres_run_200_jobs_each_exactly_once()
    {
        const int Jobs = 200;
        var (connection, schema) = await TestPostgres.CreateSchemaAsync();
        try
        {
            const string Yaml = "jobs: { workers: 8, provider_concurrency: 8, poll_interval: 50ms }";
            await using var first = await GatewayHost.StartAsync(Yaml, storage: connection);
            await using var second = await GatewayHost.StartAsync(Yaml, storage: connection);
            var lines = string.Join('\n', Enumerable.Range(0, Jobs).Select(i => $$"""{"input": "marker-{{i:D3}}-end", "provider": "openai", "model_name": "gpt-4o-mini"}"""));

            using var response = await first.PostJsonAsync("api/batches", lines, "application/jsonl");
            var batch = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var done = await first.WaitForBatchAsync((string)batch["id"]!);

            ((int)done["counts"]!["succeeded"]!).ShouldBe(Jobs, done.ToJsonString());
            var jobs = (await first.GetObjectAsync($"api/batches/{batch["id"]}/jobs"))["data"]!.AsArray();
            jobs.Count.ShouldBe(Jobs);
            jobs.ShouldAllBe(j => (int)j!["attempts"]! == 1 && (string?)j["status"] == "succeeded");
            var sent = first.Fake.Requests.Concat(second.Fake.Requests).Select(r => r.BodyText).ToList();
            sent.Count.ShouldBe(Jobs);
            for (var i = 0; i < Jobs; i++) sent.Count(body => body.Contains($"marker-{i:D3}-end", StringComparison.Ordinal)).ShouldBe(1, $"marker {i}");
            // Both took part: the queue is shared, not merely the first gateway's.
            first.Fake.Requests.ShouldNotBeEmpty();
            second.Fake.Requests.ShouldNotBeEmpty();
        }
        finally
        {
            await TestPostgres.DropSchemaAsync(schema);
        }
    }

    private static NewJob Job(string text) => new()
    {
        Provider = "openai",
        ModelName = "gpt-4o-mini",
        Request = $$"""{"model":"openai/gpt-4o-mini","messages":[{"role":"user","content":"{{text}}"}]}""",
    };
}
