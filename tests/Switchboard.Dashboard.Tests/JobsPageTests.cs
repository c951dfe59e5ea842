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

    /// <summary>
    /// The page against answers shaped exactly as the jobs contract says (served by the browser's request routing,
    /// so this runs whether or not this gateway has the jobs API): list, batch progress, submit, result and cancel.
    /// </summary>
    [Fact]
    public async Task The_page_follows_the_jobs_contract_list_progress_submit_result_and_cancel()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        var jobs = new List<JsonObject>
        {
            Job("job_01J0000000000000000000000B", "pending", "batch_x", result: false),
            Job("job_01J0000000000000000000000A", "succeeded", "batch_x", result: true),
        };
        var submitted = new List<JsonObject>();
        await watched.Page.RouteAsync("**/api/session", async route =>
        {
            var response = await route.FetchAsync();
            var session = JsonNode.Parse(await response.TextAsync())!.AsObject();
            session["features"]!["jobs"] = true;
            await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = session.ToJsonString() });
        });
        await watched.Page.RouteAsync("**/api/batches/**", route => route.FulfillAsync(Json(new JsonObject
        {
            ["id"] = "batch_x", ["object"] = "batch", ["status"] = "running", ["total"] = 2,
            ["counts"] = new JsonObject { ["pending"] = jobs.Count(j => (string?)j["status"] == "pending"), ["running"] = 0, ["succeeded"] = jobs.Count(j => (string?)j["status"] == "succeeded"), ["failed"] = 0, ["cancelled"] = jobs.Count(j => (string?)j["status"] == "cancelled") },
            ["created_at"] = "2026-11-21T10:00:00Z", ["finished_at"] = null,
        })));
        await watched.Page.RouteAsync("**/api/jobs**", async route =>
        {
            var request = route.Request;
            var path = new Uri(request.Url).AbsolutePath;
            if (request.Method == "POST" && path == "/api/jobs")
            {
                var body = JsonNode.Parse(request.PostData!)!.AsObject();
                submitted.Add(body);
                var job = Job("job_01J0000000000000000000000C", "succeeded", null, result: true);
                job["provider"] = (string?)body["provider"];
                job["model_name"] = (string?)body["model_name"];
                jobs.Insert(0, job);
                await route.FulfillAsync(Json(job, 202));
            }
            else if (request.Method == "POST" && path.EndsWith("/cancel", StringComparison.Ordinal))
            {
                var job = jobs.Single(j => path.Contains((string)j["id"]!, StringComparison.Ordinal));
                job["status"] = "cancelled";
                job["finished_at"] = "2026-11-21T10:05:00Z";
                await route.FulfillAsync(Json(job));
            }
            else
            {
                await route.FulfillAsync(Json(new JsonObject { ["object"] = "list", ["data"] = new JsonArray([.. jobs.Select(j => j.DeepClone())]) }));
            }
        });
        await watched.GoToAsync("jobs");

        await Expect(watched.Page.Locator("#jobs tbody tr")).ToHaveCountAsync(2);
        await Expect(watched.Page.Locator("#jobs-batches [data-batch=batch_x]")).ToContainTextAsync("1 of 2 done");
        await watched.Page.Locator("button[data-open=job_01J0000000000000000000000A]").ClickAsync();
        await Expect(watched.Page.Locator("#job-result")).ToHaveTextAsync(FakeOpenAIUpstream.CompletionText);
        await Expect(watched.Page.Locator("#job-detail [data-field=cost]")).ToHaveTextAsync("$0.00000855");

        await watched.Page.Locator("button[data-open=job_01J0000000000000000000000B]").ClickAsync();
        await watched.Page.Locator("#job-cancel").ClickAsync();
        await Expect(watched.Page.Locator("#job-detail section")).ToHaveAttributeAsync("data-status", "cancelled");
        await Expect(watched.Page.Locator("#jobs tbody tr[data-job=job_01J0000000000000000000000B]")).ToHaveAttributeAsync("data-status", "cancelled");

        await watched.Page.Locator("#job-provider").SelectOptionAsync("openai");
        await watched.Page.Locator("#job-model").FillAsync("gpt-4o-mini");
        await watched.Page.Locator("#job-input").FillAsync("Say hello.");
        await watched.Page.Locator("#job-submit").ClickAsync();
        await Expect(watched.Page.Locator("#job-detail section")).ToHaveAttributeAsync("data-job", "job_01J0000000000000000000000C");
        await Expect(watched.Page.Locator("#jobs tbody tr")).ToHaveCountAsync(3);
        var sent = submitted.ShouldHaveSingleItem();
        ((string?)sent["provider"]).ShouldBe("openai");
        ((string?)sent["model_name"]).ShouldBe("gpt-4o-mini");
        ((string?)sent["input"]).ShouldBe("Say hello.");
        watched.ShouldHaveNoProblems();
    }

    private static JsonObject Job(string id, string status, string? batch, bool result) => new()
    {
        ["id"] = id, ["object"] = "job", ["status"] = status, ["provider"] = "openai", ["model_name"] = "gpt-4o-mini", ["route"] = null,
        ["batch_id"] = batch, ["metadata"] = new JsonObject(),
        ["created_at"] = "2026-11-21T10:00:00Z", ["started_at"] = result ? "2026-11-21T10:00:01Z" : null, ["finished_at"] = result ? "2026-11-21T10:00:02Z" : null,
        ["attempts"] = result ? 1 : 0,
        ["result"] = result ? new JsonObject
        {
            ["text"] = FakeOpenAIUpstream.CompletionText, ["provider"] = "openai", ["model"] = "gpt-4o-mini",
            ["usage"] = new JsonObject { ["input_tokens"] = 19, ["output_tokens"] = 10, ["cached_input_tokens"] = 4, ["reasoning_tokens"] = 2, ["estimated"] = false },
            ["cost_usd"] = 0.00000855, ["latency_ms"] = 12.5, ["attempts"] = "openai/gpt-4o-mini ok 12ms", ["response"] = new JsonObject(),
        } : null,
        ["error"] = null,
    };

    private static RouteFulfillOptions Json(JsonNode body, int status = 200) =>
        new() { Status = status, ContentType = "application/json", Body = body.ToJsonString() };

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
