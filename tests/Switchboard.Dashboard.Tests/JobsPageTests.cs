using System.Text.Json;
using Microsoft.Playwright;
using Shouldly;
using Switchboard.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Dashboard.Tests;

/// <summary>The Jobs page in a real browser, on the gateway's real jobs API (/api/jobs, /api/batches) and workers.</summary>
public sealed class JobsPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Without_a_store_the_jobs_and_usage_pages_say_what_they_need_without_an_error()
    {
        await using var host = await DashboardHost.StartAsync(store: false);
        await using var watched = await WatchedPage.OpenAsync(browser, host);

        await watched.GoToAsync("jobs");
        await Expect(watched.Page.Locator("#page-jobs")).ToContainTextAsync("Jobs are kept in the store, and this gateway has none");
        await Expect(watched.Page.Locator("#job-form")).ToHaveCountAsync(0);
        await watched.GoToAsync("usage");
        await Expect(watched.Page.Locator("#page-usage")).ToContainTextAsync("The usage log is kept in the store, and this gateway has none");
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task A_batch_shows_its_progress_and_each_jobs_result()
    {
        await using var host = await DashboardHost.StartAsync();
        using var submitted = await host.Http.PostAsync("/api/batches", new StringContent(
            """{"requests":[{"input":"First.","provider":"openai","model_name":"gpt-4o-mini"},{"input":"Second.","provider":"openai","model_name":"gpt-4o-mini"}]}""",
            System.Text.Encoding.UTF8, "application/json"));
        ((int)submitted.StatusCode).ShouldBe(202, await submitted.Content.ReadAsStringAsync());
        var batch = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("jobs");

        await Expect(watched.Page.Locator($"#jobs-batches [data-batch={batch}]")).ToContainTextAsync("2 of 2 done");
        await Expect(watched.Page.Locator("#jobs tbody tr[data-status=succeeded]")).ToHaveCountAsync(2);
        await watched.Page.Locator("#jobs tbody tr button[data-open]").First.ClickAsync();
        await Expect(watched.Page.Locator("#job-result")).ToHaveTextAsync(FakeOpenAIUpstream.CompletionText);
        await Expect(watched.Page.Locator("#job-detail [data-field=cost]")).ToHaveTextAsync("$0.00000855");
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task A_job_submitted_with_provider_and_model_succeeds_and_shows_its_answer()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("jobs");

        await watched.Page.Locator("#job-provider").SelectOptionAsync("openai");
        await watched.Page.Locator("#job-model").FillAsync("gpt-4o-mini");
        await watched.Page.Locator("#job-input").FillAsync("Say hello.");
        await watched.Page.Locator("#job-submit").ClickAsync();

        var row = watched.Page.Locator("#jobs tbody tr").First;
        await Expect(row).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(row).ToContainTextAsync("openai/gpt-4o-mini");
        var detail = watched.Page.Locator("#job-detail section");
        await Expect(detail).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(watched.Page.Locator("#job-result")).ToHaveTextAsync(FakeOpenAIUpstream.CompletionText);
        await Expect(detail.Locator("[data-field=input-tokens]")).ToHaveTextAsync(FakeOpenAIUpstream.PromptTokens.ToString());
        await Expect(detail.Locator("[data-field=cost]")).ToHaveTextAsync("$0.00000855");
        await Expect(watched.Page.Locator("#job-cancel")).ToHaveCountAsync(0);
        watched.ShouldHaveNoProblems();
    }

    [Fact]
    public async Task A_pending_job_is_cancelled_from_the_page()
    {
        // One worker, held by a slow first job: the second job waits, pending, to be cancelled.
        await using var host = await DashboardHost.StartAsync("jobs: { workers: 1 }");
        host.Fake.Enqueue(UpstreamFault.Delay(TimeSpan.FromSeconds(8)));
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("jobs");

        await watched.Page.Locator("#job-provider").SelectOptionAsync("openai");
        await watched.Page.Locator("#job-model").FillAsync("gpt-4o-mini");
        await watched.Page.Locator("#job-input").FillAsync("A slow one.");
        await watched.Page.Locator("#job-submit").ClickAsync();
        await Expect(watched.Page.Locator("#jobs tbody tr")).ToHaveCountAsync(1);
        await watched.Page.Locator("#job-input").FillAsync("One to cancel.");
        await watched.Page.Locator("#job-submit").ClickAsync();
        await Expect(watched.Page.Locator("#jobs tbody tr")).ToHaveCountAsync(2);

        var detail = watched.Page.Locator("#job-detail section");
        await Expect(detail).ToHaveAttributeAsync("data-status", "pending");
        var id = await detail.GetAttributeAsync("data-job");
        await watched.Page.Locator("#job-cancel").ClickAsync();

        await Expect(detail).ToHaveAttributeAsync("data-status", "cancelled");
        await Expect(watched.Page.Locator($"#jobs tbody tr[data-job='{id}']")).ToHaveAttributeAsync("data-status", "cancelled");
        using var job = JsonDocument.Parse(await host.Http.GetStringAsync($"/api/jobs/{id}"));
        job.RootElement.GetProperty("status").GetString().ShouldBe("cancelled");
        watched.ShouldHaveNoProblems();
    }
}
