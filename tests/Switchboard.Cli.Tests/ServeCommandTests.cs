using System.Net;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed partial class ServeCommandTests : IDisposable
{
    private const string Key = "sk-test-0123456789abcdef";

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Serve_beyond_loopback_without_a_master_key_exits_3_saying_how_to_set_one()
    {
        var result = await _cli.RunAsync("serve", "--host", "0.0.0.0", "--port", "0");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Errors.ShouldContain("server.host is 0.0.0.0");
        result.Errors.ShouldContain("SWITCHBOARD_MASTER_KEY");
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("http")]
    public async Task Serve_with_a_bad_port_is_a_usage_error(string port)
    {
        var result = await _cli.RunAsync("serve", "--port", port);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("--port must be a whole number from 0 to 65535");
    }

    [Fact]
    public async Task Serve_prints_its_url_and_enabled_providers_answers_and_stops_on_cancel()
    {
        _cli.Variables["OPENAI_API_KEY"] = Key;
        using var stop = new CancellationTokenSource();

        var serving = _cli.RunAsync(["serve", "--port", "0"], stop.Token);
        var line = await WaitForLineAsync(serving);
        using var http = new HttpClient();
        var url = ListeningUrl().Match(line).Groups["url"].Value;
        using var health = await http.GetAsync(url.Replace("/v1", "/health/live", StringComparison.Ordinal));
        await stop.CancelAsync();
        var result = await serving;

        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        result.ExitCode.ShouldBe(0, result.ToString());
        line.ShouldContain("providers: openai");
        result.All.ShouldNotContain(Key);
    }

    private async Task<string> WaitForLineAsync(Task<CliResult> serving)
    {
        // A guard against hanging forever, not a timing assertion.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!patience.IsCancellationRequested)
        {
            if (serving.IsCompleted) throw new ShouldAssertException($"serve ended early: {await serving}");
            var line = _cli.Output.Text.Split('\n').FirstOrDefault(l => ListeningUrl().IsMatch(l));
            if (line is not null) return line;
            await Task.Delay(20, CancellationToken.None);
        }
        throw new ShouldAssertException("serve did not print its URL: " + _cli.Output.Text + _cli.Errors.Text);
    }

    [GeneratedRegex(@"listening on (?<url>http://127\.0\.0\.1:\d+/v1)")]
    private static partial Regex ListeningUrl();
}
