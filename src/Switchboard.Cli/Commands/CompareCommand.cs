using System.CommandLine;
using Spectre.Console;
using Switchboard.Gateway.Compare;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard compare</c>: one prompt to several models at once, with each answer's latency, tokens and cost side by side.</summary>
internal static class CompareCommand
{
    public static Command Create(CliEnvironment env)
    {
        var models = new Option<string>("--models", "-m")
        {
            Description = $"The models to ask, separated by commas: gpt-4.1,claude-sonnet-4-5,groq/llama-3.3-70b-versatile. Up to {Comparison.MaxModels}; each provider's key must be set.",
            HelpName = "A,B,C",
            Required = true,
        };
        var system = new Option<string?>("--system", "-s")
        {
            Description = "A system prompt to send before the question, to every model.",
            HelpName = "TEXT",
        };
        var maxTokens = CliOptions.Integer("--max-tokens", 1, int.MaxValue);
        maxTokens.Description = "The most tokens each answer may have.";
        maxTokens.HelpName = "N";
        var json = new Option<bool>("--json")
        {
            Description = "Print the comparison as JSON, the same as POST /api/compare answers, instead of a table.",
        };
        var config = CliOptions.Config();
        var prompt = new Argument<string[]>("prompt")
        {
            Description = "The question. Several words are joined with spaces; without any, the prompt is read from standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var command = new Command("compare",
            "Ask several models the same question at once and show each answer with its provider, latency, tokens and cost side by side. " +
            "Calls the providers directly (no server needed). Exits 4 when every model failed.")
        {
            models, system, maxTokens, json, config, prompt,
        };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            var request = new ComparisonRequest
            {
                Models = result.GetValue(models)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
                Messages = ComparisonRequest.MessagesFor(ChatCommand.ReadPrompt(result.GetValue(prompt), env, "compare --models a,b"), result.GetValue(system)),
                MaxTokens = result.GetValue(maxTokens),
            };
            using var gateway = InProcessGateway.Open(env, result.GetValue(config));
            ComparisonResult comparison;
            try
            {
                comparison = await new Comparison(gateway.Chat).RunAsync(request, cancellationToken);
            }
            catch (SwitchboardException e) when (e.Code == Comparison.InvalidModels)
            {
                throw new UsageException("--" + e.Message);
            }
            if (result.GetValue(json)) OutcomeCells.WriteJson(env, writer => ComparisonJson.Write(writer, comparison));
            else Write(env, comparison);
            return comparison.AllFailed ? ExitCodes.Provider : ExitCodes.Ok;
        }));
        return command;
    }

    private static void Write(CliEnvironment env, ComparisonResult comparison)
    {
        var table = new Table()
            .AddColumn("Model")
            .AddColumn("Answered by")
            .AddColumn(new TableColumn("Latency").RightAligned())
            .AddColumn(new TableColumn("Tokens in").RightAligned())
            .AddColumn(new TableColumn("Tokens out").RightAligned())
            .AddColumn(new TableColumn("Cost").RightAligned());
        foreach (var (model, outcome) in comparison.Answers)
        {
            table.AddRow(Markup.Escape(model), OutcomeCells.Deployment(outcome), OutcomeCells.Latency(outcome),
                OutcomeCells.InputTokens(outcome), OutcomeCells.OutputTokens(outcome), OutcomeCells.Cost(outcome));
        }
        env.Out.Write(table);
        env.Out.MarkupLineInterpolated($"[dim]{comparison.Answers.Count} models in {Format.Milliseconds(comparison.TotalMs)}, asked at the same time.[/]");
        var answer = env.Out.Profile.Out.Writer;
        foreach (var (model, outcome) in comparison.Answers)
        {
            env.Out.WriteLine();
            env.Out.MarkupLineInterpolated($"[bold]── {model} ──[/]");
            // Raw, not markup: an answer's brackets are text, and its line breaks are the model's.
            if (outcome.Error is { } error) env.Out.MarkupLineInterpolated($"[red]{error.Message}[/]");
            else answer.WriteLine(outcome.Text);
        }
    }
}
