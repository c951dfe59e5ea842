using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Shouldly;
using Switchboard.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Switchboard.Dashboard.Tests;

/// <summary>The Jobs page in a real browser, to the jobs API contract (/api/jobs, /api/batches).</summary>
public sealed class JobsPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string NeedsJobsApi = "Needs the jobs API (/api/jobs), built on the jobs branch: enabled when that branch is merged.";

    [Fact]
    public async Task Without_the_jobs_api_the_page_says_what_jobs_need_without_an_error()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        // The gateway as a build without jobs answers: the session names no jobs feature.
        await watched.Page.RouteAsync("**/api/session", async route =>
        {
            var response = await route.FetchAsync();
            var session = JsonNode.Parse(await response.TextAsync())!.AsObject();
            session["features"]!["jobs"] = false;
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = session.ToJsonString() });
        });
        await watched.GoToAsync("jobs");

        await Expect(watched.Page.Locator("#page-jobs")).ToContainTextAsync("Jobs need the jobs API (/api/jobs)");
        await Expect(watched.Page.Locator("#job-form")).ToHaveCountAsync(0);
        watched.ShouldHaveNoProblems();
    }

    [Fact(Skip = NeedsJobsApi)]
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

    [Fact(Skip = NeedsJobsApi)]
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
