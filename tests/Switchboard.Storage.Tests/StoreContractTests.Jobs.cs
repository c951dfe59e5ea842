using Shouldly;
using Switchboard.Storage.Jobs;
using Switchboard.Testing;
using Xunit;

namespace Switchboard.Storage.Tests;

/// <summary>The job queue's part of the contract: the same on SQLite and PostgreSQL.</summary>
public abstract partial class StoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static NewJob Job(string text = "hello", string? provider = "openai", string? model = "gpt-4o-mini", string? route = null) => new()
    {
        Provider = route is null ? provider : null,
        ModelName = route is null ? model : null,
        Route = route,
        Request = $$"""{"model":"x","messages":[{"role":"user","content":"{{text}}"}]}""",
        Metadata = new Dictionary<string, string> { ["team"] = "search" },
        Webhook = new Uri("http://127.0.0.1:9/hook"),
    };

    private static JobClaim Claim(string worker, string? batch = null, string[]? lanes = null, string[]? batches = null) =>
        new() { WorkerId = worker, Lease = Lease, BatchId = batch, ExcludedLanes = lanes ?? [], ExcludedBatches = batches ?? [] };

    private static async Task<JobRecord> SubmitAsync(ISwitchboardStore store, ManualTimeProvider time, NewJob job)
    {
        var record = await store.CreateJobAsync(JobIds.NewJobId(time.GetUtcNow()), job);
        time.Advance(TimeSpan.FromMilliseconds(1));
        return record;
    }

    [Fact]
    public async Task A_job_is_stored_pending_and_read_back_whole()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);

        var created = await store.CreateJobAsync("job_1", Job());
        var read = await (await OpenAsync(time)).GetJobAsync("job_1");

        read.ShouldNotBeNull();
        read.Status.ShouldBe(JobStatus.Pending);
        read.Provider.ShouldBe("openai");
        read.ModelName.ShouldBe("gpt-4o-mini");
        read.Request.ShouldBe(created.Request);
        read.Metadata["team"].ShouldBe("search");
        read.Webhook.ShouldBe(new Uri("http://127.0.0.1:9/hook"));
        read.CreatedAt.ShouldBe(time.GetUtcNow());
        read.Attempts.ShouldBe(0);
        (await store.GetJobAsync("job_none")).ShouldBeNull();
    }

    [Fact]
    public async Task Jobs_list_newest_first_filtered_by_status_and_model()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var first = await SubmitAsync(store, time, Job(model: "gpt-4o-mini"));
        var second = await SubmitAsync(store, time, Job(model: "gpt-4.1"));
        var third = await SubmitAsync(store, time, Job(route: "smart"));
        (await store.ClaimJobAsync(Claim("w1"))).ShouldNotBeNull().Id.ShouldBe(first.Id);

        (await store.ListJobsAsync(new JobQuery())).Select(j => j.Id).ShouldBe([third.Id, second.Id, first.Id]);
        (await store.ListJobsAsync(new JobQuery { Status = JobStatus.Pending })).Select(j => j.Id).ShouldBe([third.Id, second.Id]);
        (await store.ListJobsAsync(new JobQuery { Model = "gpt-4.1" })).Single().Id.ShouldBe(second.Id);
        (await store.ListJobsAsync(new JobQuery { Model = "smart" })).Single().Id.ShouldBe(third.Id);
        (await store.ListJobsAsync(new JobQuery { Limit = 1 })).Single().Id.ShouldBe(third.Id);
    }

    [Fact]
    public async Task A_claim_takes_the_oldest_pending_job_under_a_lease()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var first = await SubmitAsync(store, time, Job("one"));
        var second = await SubmitAsync(store, time, Job("two"));

        var claimed = (await store.ClaimJobAsync(Claim("w1"))).ShouldNotBeNull();
        var next = (await store.ClaimJobAsync(Claim("w2"))).ShouldNotBeNull();

        claimed.Id.ShouldBe(first.Id);
        claimed.Status.ShouldBe(JobStatus.Running);
        claimed.LeaseOwner.ShouldBe("w1");
        claimed.LeaseUntil.ShouldBe(time.GetUtcNow() + Lease);
        claimed.StartedAt.ShouldBe(time.GetUtcNow());
        claimed.Attempts.ShouldBe(1);
        next.Id.ShouldBe(second.Id);
        (await store.ClaimJobAsync(Claim("w3"))).ShouldBeNull();
    }

    [Fact]
    public async Task A_lease_that_runs_out_lets_another_worker_take_the_job_and_the_first_loses_it()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var job = await SubmitAsync(store, time, Job());
        await store.ClaimJobAsync(Claim("dead"));

        time.Advance(Lease - TimeSpan.FromSeconds(1));
        (await store.ClaimJobAsync(Claim("w2"))).ShouldBeNull();
        time.Advance(TimeSpan.FromSeconds(2));
        var taken = (await store.ClaimJobAsync(Claim("w2"))).ShouldNotBeNull();

        taken.Id.ShouldBe(job.Id);
        taken.Attempts.ShouldBe(2);
        taken.LeaseOwner.ShouldBe("w2");
        (await store.RenewLeaseAsync(job.Id, "dead", Lease)).ShouldBeFalse();
        (await store.CompleteJobAsync(job.Id, "dead", JobStatus.Succeeded, "{}", null)).ShouldBeNull();
        (await store.RenewLeaseAsync(job.Id, "w2", Lease)).ShouldBeTrue();
        var done = (await store.CompleteJobAsync(job.Id, "w2", JobStatus.Succeeded, """{"text":"hi"}""", null)).ShouldNotBeNull();
        done.Status.ShouldBe(JobStatus.Succeeded);
        done.Result.ShouldBe("""{"text":"hi"}""");
        done.FinishedAt.ShouldBe(time.GetUtcNow());
        done.LeaseOwner.ShouldBeNull();
    }

    [Fact]
    public async Task A_renewed_lease_keeps_the_job_from_other_workers()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        await SubmitAsync(store, time, Job());
        var claimed = (await store.ClaimJobAsync(Claim("w1"))).ShouldNotBeNull();

        time.Advance(Lease / 2);
        (await store.RenewLeaseAsync(claimed.Id, "w1", Lease)).ShouldBeTrue();
        time.Advance(Lease / 2 + TimeSpan.FromSeconds(1));

        (await store.ClaimJobAsync(Claim("w2"))).ShouldBeNull();
    }

    [Fact]
    public async Task Cancelling_ends_a_pending_or_running_job_at_once_and_leaves_a_finished_one()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var running = await SubmitAsync(store, time, Job("running"));
        var pending = await SubmitAsync(store, time, Job("pending"));
        await store.ClaimJobAsync(Claim("w1"));

        (await store.CancelJobAsync(pending.Id)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Cancelled);
        (await store.CancelJobAsync(running.Id)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Cancelled);

        (await store.RenewLeaseAsync(running.Id, "w1", Lease)).ShouldBeFalse();
        (await store.CompleteJobAsync(running.Id, "w1", JobStatus.Succeeded, "{}", null)).ShouldBeNull();
        (await store.ClaimJobAsync(Claim("w2"))).ShouldBeNull();
        var again = (await store.CancelJobAsync(running.Id)).ShouldNotBeNull();
        again.Status.ShouldBe(JobStatus.Cancelled);
        (await store.CancelJobAsync("job_none")).ShouldBeNull();
    }

    [Fact]
    public async Task Released_jobs_go_back_to_pending_for_another_worker()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        var job = await SubmitAsync(store, time, Job());
        await store.ClaimJobAsync(Claim("stopping"));

        (await store.ReleaseJobsAsync("stopping")).ShouldBe(1);

        (await store.GetJobAsync(job.Id)).ShouldNotBeNull().Status.ShouldBe(JobStatus.Pending);
        (await store.ClaimJobAsync(Claim("w2"))).ShouldNotBeNull().Id.ShouldBe(job.Id);
    }

    [Fact]
    public async Task A_claim_passes_over_excluded_lanes_and_batches()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);
        await SubmitAsync(store, time, Job(provider: "openai"));
        var routed = await SubmitAsync(store, time, Job(route: "smart"));
        var batch = await store.CreateBatchAsync("batch_1", [Job(provider: "anthropic")], concurrency: 1);
        var other = await SubmitAsync(store, time, Job(provider: "groq"));

        (await store.ClaimJobAsync(Claim("w", lanes: ["openai"]))).ShouldNotBeNull().Id.ShouldBe(routed.Id);
        (await store.ClaimJobAsync(Claim("w", lanes: ["openai"], batches: [batch.Id]))).ShouldNotBeNull().Id.ShouldBe(other.Id);
        (await store.ClaimJobAsync(Claim("w", batch: batch.Id))).ShouldNotBeNull().BatchId.ShouldBe(batch.Id);
        (await store.ClaimJobAsync(Claim("w", lanes: ["openai"]))).ShouldBeNull();
    }

    [Fact]
    public async Task A_batch_stores_its_jobs_in_order_and_counts_them_by_status()
    {
        var time = new ManualTimeProvider();
        var store = await OpenAsync(time);

        var batch = await store.CreateBatchAsync("batch_1", [Job("a"), Job("b"), Job("c")], concurrency: 2);
        var jobs = await store.ListJobsAsync(new JobQuery { BatchId = batch.Id });
        var first = (await store.ClaimJobAsync(Claim("w"))).ShouldNotBeNull();
        await store.CompleteJobAsync(first.Id, "w", JobStatus.Succeeded, "{}", null);
        await store.ClaimJobAsync(Claim("w"));
        var read = (await store.GetBatchAsync(batch.Id)).ShouldNotBeNull();

        jobs.Select(j => j.ItemIndex).ShouldBe([0, 1, 2]);
        jobs.Select(j => j.Request).ShouldBe(jobs.Select(j => j.Request).Order(StringComparer.Ordinal)); // a, b, c
        first.ItemIndex.ShouldBe(0);
        read.Total.ShouldBe(3);
        read.Concurrency.ShouldBe(2);
        read.Counts.ShouldBe(new JobCounts(1, 1, 1, 0, 0));
        read.FinishedAt.ShouldBeNull();

        var cancelled = (await store.CancelBatchAsync(batch.Id)).ShouldNotBeNull();
        cancelled.Counts.ShouldBe(new JobCounts(0, 0, 1, 0, 2));
        cancelled.CancelledAt.ShouldBe(time.GetUtcNow());
        cancelled.FinishedAt.ShouldBe(time.GetUtcNow());
        (await store.GetBatchAsync("batch_none")).ShouldBeNull();
        (await store.CancelBatchAsync("batch_none")).ShouldBeNull();
    }

    [Fact]
    public async Task Many_workers_claiming_at_once_never_take_one_job_twice()
    {
        const int jobs = 60;
        var stores = new[] { await OpenAsync(), await OpenAsync() };
        await stores[0].CreateBatchAsync(JobIds.NewBatchId(DateTimeOffset.UtcNow), [.. Enumerable.Range(0, jobs).Select(i => Job($"item {i}"))], concurrency: null);

        var claimed = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            var store = stores[w % stores.Length];
            while (await store.ClaimJobAsync(Claim("w" + w)) is { } job)
            {
                mine.Add(job.Id);
                (await store.CompleteJobAsync(job.Id, "w" + w, JobStatus.Succeeded, "{}", null)).ShouldNotBeNull();
            }
            return mine;
        })));

        var all = claimed.SelectMany(ids => ids).ToList();
        all.Count.ShouldBe(jobs);
        all.Distinct().Count().ShouldBe(jobs);
    }
}
