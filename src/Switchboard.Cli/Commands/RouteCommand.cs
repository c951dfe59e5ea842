using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Routing;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard route --explain --model NAME [--metadata k=v ...] [prompt]</c>: the routing decision a request would
/// get (candidates in order with the reason for each, what was skipped and why, the rule, the complexity), calling no one.
/// </summary>
internal static class RouteCommand
{
    public static Command Create(CliEnvironment env)
    {
        var model = new Option<string>("--model", "-m")
        {
            Description = "The name a client would ask for: a route, an agent, a workflow, an alias or a model.",
            HelpName = "NAME",
            Required = true,
        };
        var explain = new Option<bool>("--explain")
        {
            Description = "Explain the decision (what this command does; accepted for clarity in scripts).",
        };
        var metadata = new Option<string[]>("--metadata", "-d")
        {
            Description = "A routing field as the request would send it, such as priority=0, agent=pricing, stage=plan, labels=docs,urgent, or any key=value a rule reads as metadata['key']. Repeat for more.",
            HelpName = "KEY=VALUE",
            Arity = ArgumentArity.ZeroOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var tools = new Option<bool>("--tools")
        {
            Description = "Explain as if the request had tools (targets without tool use are skipped).",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print the decision as JSON, as POST /v1/route/explain returns it.",
        };
        var config = CliOptions.Config();
        var prompt = new Argument<string[]>("prompt")
        {
            Description = "The prompt, for its size and complexity score. Several words are joined with spaces; without any, standard input is read when piped.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("route", "Show how Switchboard would route a request: the candidates in order and why, what was skipped, the rule that matched and the complexity score. Calls no provider.")
        {
            model, explain, metadata, tools, json, config, prompt,
        };
        command.SetAction(CliApp.Guard(env, (result, _) => Task.FromResult(Run(env, result.GetValue(config), result.GetValue(model)!,
            result.GetValue(metadata) ?? [], result.GetValue(tools), result.GetValue(json), result.GetValue(prompt)))));
        return command;
    }

    private static int Run(CliEnvironment env, string? configPath, string model, string[] metadata, bool tools, bool asJson, string[]? words)
    {
        var fields = metadata.Select(Field).ToList();
        var prompt = words is { Length: > 0 } ? string.Join(' ', words) : env.Input?.ReadToEnd() ?? "";
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        using var runtime = new SwitchboardRuntime(options, environment: env.Variables);
        var request = new ChatRequest
        {
            Model = model,
            Messages = [ChatMessage.User(prompt)],
            Tools = tools ? [new ChatTool { Function = new FunctionDefinition { Name = "tool" } }] : null,
        };
        var body = JsonSerializer.SerializeToUtf8Bytes(request, ChatJsonContext.Default.ChatRequest);
        var decision = runtime.Explain(body, routing =>
        {
            foreach (var (key, value) in fields) routing.Set(key, value);
        });

        if (asJson)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                DecisionJson.Write(writer, decision, runtime.Deployments, runtime.Executor.TimeoutFor(stream: false));
            env.Out.Profile.Out.Writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return ExitCodes.Ok;
        }
        Print(env, decision);
        return ExitCodes.Ok;
    }

    private static void Print(CliEnvironment env, RoutingDecision decision)
    {
        var output = env.Out;
        output.MarkupLineInterpolated($"[bold]{decision.Requested}[/] → {decision.Route ?? "a model asked for directly"}");
        if (decision.Rule is { } rule) output.MarkupLineInterpolated($"rule: {rule}");
        output.MarkupLineInterpolated($"prompt: about {decision.EstimatedTokens ?? 0:N0} tokens, complexity {decision.Complexity ?? 0:0.#} of 10");
        foreach (var reason in decision.ComplexityReasons) output.MarkupLineInterpolated($"  [grey]{reason}[/]");

        // A fresh process has made no calls, so every circuit is closed: the gateway's /v1/route/explain shows live state.
        var candidates = new Table().AddColumns("#", "deployment", "why");
        for (var i = 0; i < decision.Candidates.Count; i++)
        {
            var candidate = decision.Candidates[i];
            candidates.AddRow((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(candidate.Deployment), Markup.Escape(candidate.Reason));
        }
        output.Write(candidates);
        if (decision.Skipped.Count == 0) return;
        var skipped = new Table().AddColumns("skipped", "why");
        foreach (var target in decision.Skipped) skipped.AddRow(Markup.Escape(target.Target), Markup.Escape(target.Reason));
        output.Write(skipped);
    }

    private static (string Key, string Value) Field(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0) throw new UsageException($"--metadata takes key=value, such as priority=0 or agent=pricing, not '{text}'.");
        return (text[..equals].Trim(), text[(equals + 1)..].Trim());
    }
}
