using System.CommandLine;
using Shouldly;
using Spectre.Console;
using Xunit;

namespace Switchboard.Cli.Tests;

public sealed class CliAppTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task An_unknown_option_is_a_usage_error_with_exit_code_2()
    {
        var result = await _cli.RunAsync("models", "--bogus");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Errors.ShouldContain("--bogus");
    }

    [Fact]
    public async Task No_command_is_a_usage_error_that_shows_the_commands()
    {
        var result = await _cli.RunAsync();

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Output.ShouldContain("doctor");
    }

    [Fact]
    public async Task A_config_with_an_unknown_key_exits_3_naming_the_file_line_and_key()
    {
        _cli.WriteFile("switchboard.yaml", "server:\n  port: 4000\n  hots: 0.0.0.0\n");

        var result = await _cli.RunAsync("models");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Errors.ShouldContain("switchboard.yaml:3:3");
        result.Errors.ShouldContain("unknown key 'hots'");
        result.Errors.ShouldContain("did you mean 'host'");
        result.All.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Each_config_problem_is_printed()
    {
        var file = _cli.WriteFile("other.yaml", "servr: {}\nproviders:\n  openai: { apikey: env:X }\n");

        var result = await _cli.RunAsync("chat", "--config", file, "hello");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Errors.ShouldContain("other.yaml:1:1: unknown key 'servr'");
        result.Errors.ShouldContain("other.yaml:3:");
        result.Errors.ShouldContain("'apikey'");
    }

    [Fact]
    public async Task A_config_path_that_does_not_exist_exits_3()
    {
        var result = await _cli.RunAsync("doctor", "--config", "missing.yaml");

        result.ExitCode.ShouldBe(3, result.ToString());
        result.Errors.ShouldContain("missing.yaml: no such file");
    }

    [Fact]
    public async Task Version_prints_the_informational_version()
    {
        var result = await _cli.RunAsync("version");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldMatch(@"^switchboard \d+\.\d+\.\d+\S*\s*$");
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("chat")]
    [InlineData("models")]
    [InlineData("doctor")]
    [InlineData("usage")]
    [InlineData("version")]
    [InlineData("jobs list")]
    [InlineData("batch run")]
    public async Task Help_for_each_command_describes_it_and_exits_0(string command)
    {
        var result = await _cli.RunAsync([.. command.Split(' '), "--help"]);

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Output.ShouldContain("Description:");
        result.Output.ShouldContain("Usage:");
        result.Output.ShouldContain($" {command} [");
    }

    [Fact]
    public void Every_command_option_and_argument_has_a_description()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        var root = CliApp.CreateRoot(new CliEnvironment(console, console, null, _ => null, Path.GetTempPath()));

        root.Description.ShouldNotBeNullOrWhiteSpace();
        foreach (var command in root.Subcommands)
        {
            command.Description.ShouldNotBeNullOrWhiteSpace(command.Name);
            foreach (var option in command.Options) option.Description.ShouldNotBeNullOrWhiteSpace($"{command.Name} {option.Name}");
            foreach (var argument in command.Arguments) argument.Description.ShouldNotBeNullOrWhiteSpace($"{command.Name} {argument.Name}");
        }
        root.Subcommands.Select(c => c.Name).ShouldBe(["serve", "chat", "compare", "workflow", "models", "route", "doctor", "usage", "version", "keys", "jobs", "batch"], ignoreOrder: true);
    }
}
