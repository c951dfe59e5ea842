using Shouldly;
using Switchboard.Configuration;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Command;

/// <summary>The config keys of command providers: read as written, and every mistake named with its line.</summary>
public sealed class CommandConfigTests
{
    [Fact]
    public void A_command_provider_is_read_as_written()
    {
        var provider = Parse("""
            providers:
              claude-cli: { type: command, command: [claude, -p, "{prompt_file}", --model, "{model}"], timeout: 10m, output: stdout }
              writer: { type: command, command: [tool, --out, "{output_file}"], output: file }
            """).Providers;

        provider[0].Command.ShouldBe(["claude", "-p", "{prompt_file}", "--model", "{model}"]);
        provider[0].Timeout.ShouldBe(TimeSpan.FromMinutes(10));
        provider[0].Output.ShouldBe("stdout");
        provider[1].Output.ShouldBe("file");
        provider[1].Timeout.ShouldBeNull();
    }

    [Theory]
    [InlineData("cli: { type: command }",
        "switchboard.yaml:2:8: providers.cli is of type command and needs a command, such as command: [claude, -p, \"{prompt}\", --model, \"{model}\"].")]
    [InlineData("cli: { type: command, command: claude -p }",
        "switchboard.yaml:2:34: providers.cli.command must be a list of the program and its arguments, such as [claude, -p, \"{prompt}\", --model, \"{model}\"]; a single string is not split into arguments, since no shell is involved.")]
    [InlineData("cli: { type: command, command: [] }",
        "switchboard.yaml:2:34: providers.cli.command must be a list of the program and its arguments, such as [claude, -p, \"{prompt}\", --model, \"{model}\"].")]
    [InlineData("cli: { type: command, command: [\"\", x] }",
        "switchboard.yaml:2:35: providers.cli.command starts with the program to run, such as [claude, -p, \"{prompt}\", --model, \"{model}\"]; the first item is empty.")]
    [InlineData("cli: { type: command, command: [claude, \"{promt}\"] }",
        "switchboard.yaml:2:43: providers.cli.command[1] has the placeholder {promt}, which is not one of: {prompt}, {prompt_file}, {model}, {output_file}.")]
    [InlineData("cli: { type: command, command: [claude], output: file }",
        "switchboard.yaml:2:52: providers.cli.output is file, so the command must write its answer to {output_file}: put {output_file} among its arguments.")]
    [InlineData("cli: { type: command, command: [claude], output: stderr }",
        "switchboard.yaml:2:52: providers.cli.output must be one of stdout, file, not 'stderr'.")]
    [InlineData("cli: { type: command, command: [claude], timeout: 0s }",
        "switchboard.yaml:2:53: providers.cli.timeout must be longer than 0, such as 10s or 2m.")]
    [InlineData("cli: { type: command, command: [claude], timeout: soon }",
        "switchboard.yaml:2:53: providers.cli.timeout must be a duration such as 500ms, 10s, 2m or 1h, not 'soon'.")]
    [InlineData("cli: { type: command, command: [claude], base_url: \"http://x\" }",
        "switchboard.yaml:2:54: providers.cli.base_url does not apply to type command: it runs a local program, set by command: [program, arg, ...].")]
    [InlineData("openai: { command: [claude] }",
        "switchboard.yaml:2:22: providers.openai.command applies only to providers of type command; openai is of type openai.")]
    [InlineData("openai: { timeout: 10s }",
        "switchboard.yaml:2:22: providers.openai.timeout applies only to providers of type command; openai is of type openai.")]
    public void A_mistake_is_named_with_its_line_and_the_fix(string entry, string problem)
    {
        var error = Should.Throw<ConfigException>(() => Parse("providers:\n  " + entry));

        error.Problems.ShouldContain(problem);
    }

    [Fact]
    public void A_command_provider_is_a_known_type()
    {
        var error = Should.Throw<ConfigException>(() => Parse("providers:\n  x: { type: nope }"));

        error.Problems.ShouldHaveSingleItem().ShouldContain("openai-compatible, command.");
    }

    private static SwitchboardOptions Parse(string yaml) => ConfigLoader.Parse(yaml, "switchboard.yaml", _ => null);
}
