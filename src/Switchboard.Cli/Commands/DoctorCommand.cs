using System.CommandLine;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Providers;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard doctor</c>: for each provider or model, is its key set and does its base URL answer.</summary>
internal static class DoctorCommand
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public static Command Create(CliEnvironment env)
    {
        var models = new Argument<string[]>("model")
        {
            Description = "Models to check, as you would ask for them (gpt-4o, claude-sonnet-4-5, groq/llama-3.3-70b-versatile, an alias). Without any, every provider that has a key set or is named in the config is checked.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var gateway = new Option<string?>("--gateway")
        {
            Description = "A running gateway (such as http://127.0.0.1:4000) whose health to show: each provider's healthy, degraded or down, and its open circuits, from the calls it has made.",
            HelpName = "URL",
        };
        var config = CliOptions.Config();
        var command = new Command("doctor",
            "Check that models and providers are ready: which provider a model goes to and how that was decided, whether its key is set " +
            "(printing the export command when it is not; never the key), and whether its base URL answers within 3 s. Exits 0 when all is ready, 4 otherwise.")
        {
            models, gateway, config,
        };
        command.SetAction(CliApp.Guard(env, (result, cancellationToken) =>
            RunAsync(env, result.GetValue(config), result.GetValue(models) ?? [], result.GetValue(gateway), cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(CliEnvironment env, string? configPath, string[] models, string? gateway, CancellationToken cancellationToken)
    {
        var health = gateway is null ? null : await GatewayHealth.ReadAsync(GatewayHealth.ParseUrl(gateway), ProbeTimeout, cancellationToken);
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        using var runtime = new SwitchboardRuntime(options, environment: env.Variables);
        using var probe = new UrlProbe(ProbeTimeout);

        List<DoctorCheck> checks;
        if (models.Length > 0)
        {
            checks = [.. models.Select(model => CheckModel(env, runtime, probe, model, cancellationToken))];
        }
        else
        {
            // A provider with a key, or one the config names, is one the user means to use; the rest are only listed.
            var used = runtime.Providers.All.Where(p => p.FromConfig || p.Credentials.Count > 0).ToList();
            if (used.Count == 0)
            {
                WriteNothingSetUp(env, runtime);
                return ExitCodes.Provider;
            }
            checks = [.. used.Select(provider => Check(env, runtime, probe, provider.Name, provider, provider.FromConfig ? "config" : "key set", $"{provider.Name}/<model>", cancellationToken))];
        }
        await Task.WhenAll(checks.Select(c => c.Reach ?? Task.CompletedTask));

        WriteTable(env, checks, byModel: models.Length > 0, health);
        WriteFixes(env, checks);
        var notReady = checks.Count(c => !c.Ready);
        if (notReady == 0)
        {
            env.Out.MarkupLineInterpolated($"[green]Ready: {(checks.Count == 1 ? "it is" : $"all {checks.Count} are")} set up and answering.[/]");
            return ExitCodes.Ok;
        }
        env.Out.MarkupLineInterpolated($"[red]Not ready: {notReady} of {checks.Count}.[/]");
        return ExitCodes.Provider;
    }

    private static DoctorCheck CheckModel(CliEnvironment env, SwitchboardRuntime runtime, UrlProbe probe, string model, CancellationToken cancellationToken)
    {
        ModelResolution target;
        try
        {
            target = runtime.Resolver.Resolve(model);
        }
        catch (SwitchboardException e)
        {
            return new DoctorCheck(model, null, "unknown", Format.Unknown, false, false, [], [e.Message], null);
        }
        return Check(env, runtime, probe, model, target.Provider, target.MatchedBy, model, cancellationToken);
    }

    private static DoctorCheck Check(CliEnvironment env, SwitchboardRuntime runtime, UrlProbe probe, string subject, Provider provider,
        string foundBy, string model, CancellationToken cancellationToken)
    {
        var fixes = new List<string>();
        var problems = new List<string>();
        var callable = true;
        try
        {
            provider.EnsureCallable(model);
        }
        catch (SwitchboardException e)
        {
            callable = false;
            if (provider.Missing.Count > 0) fixes.AddRange(provider.Missing.Select(m => m.ExportCommand));
            else problems.Add(e.Message);
        }
        var reach = provider.BaseUrl is { } url ? probe.CheckAsync(url, cancellationToken) : null;
        var (key, keySet) = KeyStatus(env, provider);
        return new DoctorCheck(subject, provider, foundBy, key, keySet, callable, fixes, problems, reach);
    }

    /// <summary>Which variable holds the provider's key and whether it is set; the value is never read into the output.</summary>
    private static (string Text, bool Set) KeyStatus(CliEnvironment env, Provider provider)
    {
        if (provider.KeySources.Count == 0) return ("no key needed", true);
        var set = provider.KeySources.FirstOrDefault(s => s.Resolve(env.Variables) is not null);
        if (set is not null) return (set.Variable is { } variable ? $"{variable} is set" : "set inline in the config", true);
        return (provider.KeySources[0].Variable is { } missing ? $"{missing} is not set" : "not set", false);
    }

    private static void WriteTable(CliEnvironment env, List<DoctorCheck> checks, bool byModel, Dictionary<string, string>? health)
    {
        var table = new Table();
        if (byModel) table.AddColumn("Model");
        table.AddColumn("Provider");
        if (byModel) table.AddColumn("Found by");
        table.AddColumn("Key").AddColumn("Base URL").AddColumn("Answers");
        if (health is not null) table.AddColumn("Health");
        foreach (var check in checks)
        {
            var cells = new List<string>();
            if (byModel) cells.Add(Markup.Escape(check.Subject));
            cells.Add(Markup.Escape(check.Provider?.Name ?? Format.Unknown));
            if (byModel) cells.Add(Markup.Escape(check.FoundBy));
            cells.Add(check.KeySet ? $"[green]{Markup.Escape(check.Key)}[/]" : $"[red]{Markup.Escape(check.Key)}[/]");
            cells.Add(Markup.Escape(check.Provider is null ? Format.Unknown : check.Provider.BaseUrl?.ToString() ?? "not set"));
            cells.Add(check.Reach?.Result is { } reach
                ? reach.Answers
                    ? $"[green]answers[/] ({Markup.Escape(reach.Detail)})"
                    : $"[red]does not answer[/]: {Markup.Escape(reach.Detail)}"
                : Format.Unknown);
            if (health is not null)
            {
                var status = check.Provider is { } provider && health.TryGetValue(provider.Name, out var seen) ? seen : "not served by that gateway";
                cells.Add(status.StartsWith("healthy", StringComparison.Ordinal) ? $"[green]{Markup.Escape(status)}[/]"
                    : status.StartsWith("not", StringComparison.Ordinal) ? Markup.Escape(status) : $"[red]{Markup.Escape(status)}[/]");
            }
            table.AddRow(cells.ToArray());
        }
        env.Out.Write(table);
    }

    /// <summary>The fixes as plain lines, outside the table, so they can be copied whole.</summary>
    private static void WriteFixes(CliEnvironment env, List<DoctorCheck> checks)
    {
        var fixes = checks.SelectMany(c => c.Fixes).Distinct(StringComparer.Ordinal).ToList();
        if (fixes.Count > 0)
        {
            env.Out.MarkupLine("To fix, set what is missing:");
            foreach (var fix in fixes) env.Out.MarkupLineInterpolated($"  {fix}");
        }
        foreach (var problem in checks.SelectMany(c => c.Problems).Distinct(StringComparer.Ordinal))
        {
            env.Out.MarkupLineInterpolated($"[yellow]{problem}[/]");
        }
        foreach (var check in checks.Where(c => c.Reach?.Result is { Answers: false }))
        {
            var provider = check.Provider!;
            var overrides = provider.Descriptor.BaseUrlVariable is { } variable ? $"{variable} or providers.{provider.Name}.base_url" : $"providers.{provider.Name}.base_url";
            env.Out.MarkupLineInterpolated($"[yellow]{provider.Descriptor.DisplayName} at {provider.BaseUrl} does not answer: check the address ({overrides}) and the network.[/]");
        }
    }

    private static void WriteNothingSetUp(CliEnvironment env, SwitchboardRuntime runtime)
    {
        env.Out.MarkupLine("[red]No provider is set up: no key variable is set and no config names a provider.[/]");
        env.Out.MarkupLine("Set the key of a provider you use, then run [bold]switchboard doctor[/] again:");
        foreach (var provider in runtime.Providers.All.Where(p => p.Descriptor.NeedsKey && !p.IsConfigured))
        {
            var comment = $"# {provider.Descriptor.DisplayName}";
            foreach (var setting in provider.Missing)
            {
                env.Out.MarkupLineInterpolated($"  {setting.ExportCommand}  [dim]{comment}[/]");
                comment = "";
            }
        }
        env.Out.MarkupLine("For a local model, start Ollama and check it: [bold]switchboard doctor ollama/llama3.2[/]");
    }
}
