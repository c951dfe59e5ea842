using Shouldly;
using Xunit;

namespace Switchboard.Dashboard.Tests;

/// <summary>The watcher the page tests rely on sees what it must, so their "no problems" means something.</summary>
public sealed class WatchedPageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Console_errors_page_errors_and_error_answers_are_all_seen()
    {
        await using var host = await DashboardHost.StartAsync();
        await using var watched = await WatchedPage.OpenAsync(browser, host);
        await watched.GoToAsync("usage");
        await watched.Page.Locator("#page-usage h1").WaitForAsync();
        watched.ShouldHaveNoProblems();

        await watched.Page.EvaluateAsync("console.error('logged on purpose')");
        await watched.Page.EvaluateAsync("setTimeout(() => { throw new Error('thrown on purpose'); })");
        await watched.Page.EvaluateAsync("fetch('/api/nothing').then(r => r.text())");

        await Task.Delay(500);
        watched.Problems.ShouldContain(p => p.Contains("logged on purpose"));
        watched.Problems.ShouldContain(p => p.Contains("thrown on purpose"));
        watched.Problems.ShouldContain(p => p.Contains("404"));
    }
}
