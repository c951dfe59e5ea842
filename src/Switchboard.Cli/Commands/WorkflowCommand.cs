using System.CommandLine;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Gateway.Workflows;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard workflow run|list</c>: the workflows of the config, and running one stage after another on a file.</summary>
internal static class WorkflowCommand
{
    public static Command Create(CliEnvironment env) => new("workflow",
        "Run the workflows configured under workflows: (such as plan → implement → review), each stage on its own model.")
    {
        Run(env),
        List(env),
    };

    private static Command Run(CliEnvironment env)
    {
        var name = new Argument<string>("name") { Description = "The workflow to run, as named under workflows: in the config." };
        var input = new Option<string>("--input", "-i")
        {
            Description = "A text file with the task: the first stage gets it, and every later stage gets it after the previous stage's output.",
            HelpName = "FILE",
            Required = true,
        };
        var json = new Option<bool>("--json") { Description = "Print the run as JSON instead of a table." };
        var config = CliOptions.Config();
        var command = new Command("run",
            "Run a workflow's stages in order, each on the model its stage is configured with (with the workflow's fallbacks), each given the previous stage's output. " +
            "Prints each stage's model, tokens, cost and latency, then the last stage's output. Exits 4 when a stage fails; the run stops there.")
        {
            name, input, json, config,
        };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            using var gateway = InProcessGateway.Open(env, result.GetValue(config));
            var runner = new WorkflowRunner(gateway.Chat);
            WorkflowOptions workflow;
            try
            {
                workflow = runner.Find(result.GetValue(name)!);
            }
            catch (SwitchboardException e) when (e.Code == WorkflowRunner.UnknownWorkflow)
            {
                throw new UsageException(e.Message);
            }
            var run = await runner.RunAsync(workflow, ReadInput(env, result.GetValue(input)!), cancellationToken);
            if (result.GetValue(json)) OutcomeCells.WriteJson(env, writer => WorkflowJson.Write(writer, run));
            else Write(env, run);
            return run.Failed is null ? ExitCodes.Ok : ExitCodes.Provider;
        }));
        return command;
    }

    private static Command List(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var command = new Command("list", "List the config's workflows: each stage, its model and whether it has a prompt of its own.") { config };
        command.SetAction(CliApp.Guard(env, (result, _) =>
        {
            var options = ConfigLoader.Load(result.GetValue(config), env.Variables, env.WorkingDirectory);
            if (options.Workflows.Count == 0)
            {
                env.Out.MarkupLineInterpolated($"No workflows are configured. Add one under workflows:, such as [dim]{WorkflowRunner.Example}[/]");
                return Task.FromResult(ExitCodes.Ok);
            }
            var table = new Table().AddColumn("Workflow").AddColumn("Stage").AddColumn("Model").AddColumn("Prompt");
            foreach (var workflow in options.Workflows.Values.OrderBy(w => w.Name, StringComparer.Ordinal))
            {
                foreach (var (stage, model) in workflow.Stages)
                {
                    table.AddRow(Markup.Escape(workflow.Name), Markup.Escape(stage), Markup.Escape(model),
                        workflow.Prompts.ContainsKey(stage) ? "configured" : "default");
                }
            }
            env.Out.Write(table);
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static string ReadInput(CliEnvironment env, string file)
    {
        var path = Path.GetFullPath(file, env.WorkingDirectory);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--input {file} cannot be read: {e.Message}");
        }
        return string.IsNullOrWhiteSpace(text) ? throw new UsageException($"--input {file} is empty: give the workflow a task to work on.") : text.Trim();
    }

    private static void Write(CliEnvironment env, WorkflowResult run)
    {
        var table = new Table()
            .AddColumn("Stage")
            .AddColumn("Model")
            .AddColumn(new TableColumn("Tokens in").RightAligned())
            .AddColumn(new TableColumn("Tokens out").RightAligned())
            .AddColumn(new TableColumn("Cost").RightAligned())
            .AddColumn(new TableColumn("Latency").RightAligned());
        foreach (var (stage, outcome) in run.Stages)
        {
            table.AddRow(Markup.Escape(stage), OutcomeCells.Deployment(outcome), OutcomeCells.InputTokens(outcome),
                OutcomeCells.OutputTokens(outcome), OutcomeCells.Cost(outcome), OutcomeCells.Latency(outcome));
        }
        table.AddRow("[bold]total[/]", "", Format.Count(run.InputTokens), Format.Count(run.OutputTokens),
            run.CostUsd is { } cost ? Format.Cost(cost) : "unknown", Format.Milliseconds(run.TotalMs));
        env.Out.Write(table);
        if (run.Failed is { } failed)
        {
            env.Error.MarkupLineInterpolated($"[red]Stage {failed.Stage} failed: {failed.Outcome.Error!.Message}[/]");
            return;
        }
        env.Out.WriteLine();
        env.Out.MarkupLineInterpolated($"[bold]── Output of {run.Stages[^1].Stage} ──[/]");
        env.Out.Profile.Out.Writer.WriteLine(run.Output);
    }
}
