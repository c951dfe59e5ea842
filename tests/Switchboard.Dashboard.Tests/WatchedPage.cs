using Microsoft.Playwright;
using Shouldly;

namespace Switchboard.Dashboard.Tests;

/// <summary>
/// A page in a fresh browser context that records every console error, uncaught page error and failed request, so
/// a test can assert the dashboard worked without any.
/// </summary>
internal sealed class WatchedPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _problems = [];

    private WatchedPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Add($"console error: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => Add($"page error: {error}");
        page.RequestFailed += (_, request) =>
        {
            // A stream the test (or the page, when leaving) stopped on purpose is not a failure of the dashboard.
            if (request.Failure is "net::ERR_ABORTED" && request.Url.Contains("/v1/chat/completions", StringComparison.Ordinal)) return;
            Add($"request failed: {request.Method} {request.Url}: {request.Failure}");
        };
    }

    public IPage Page { get; }

    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_problems) return [.. _problems];
        }
    }

    public static async Task<WatchedPage> OpenAsync(BrowserFixture browser, DashboardHost host)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = host.Url.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new WatchedPage(context, page);
    }

    /// <summary>Opens the dashboard at a page (<c>usage</c>, <c>providers</c>, ...).</summary>
    public async Task GoToAsync(string page)
    {
        await Page.GotoAsync("/#/" + page);
    }

    /// <summary>Signs in with the master key on the sign-in form.</summary>
    public async Task SignInAsync(string key = DashboardHost.MasterKey)
    {
        await Page.Locator("#sign-in-key").FillAsync(key);
        await Page.Locator("#sign-in-form button[type=submit]").ClickAsync();
    }

    public void ShouldHaveNoProblems() => Problems.ShouldBeEmpty();

    private void Add(string problem)
    {
        lock (_problems) _problems.Add(problem);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
