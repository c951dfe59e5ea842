using Switchboard.Configuration;
using System.CommandLine;
using Spectre.Console;
using Switchboard.Catalog;
using Switchboard.Providers;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard models</c>: the catalog as a table, with the name to write for each model.</summary>
internal static class ModelsCommand
{
    public static Command Create(CliEnvironment env)
    {
        var provider = new Option<string?>("--provider", "-p")
        {
            Description = "Only models served by this provider (openai, anthropic, groq, openrouter, ...).",
            HelpName = "PROVIDER",
        };
        var capability = new Option<string?>("--capability")
        {
            Description = "Only models with this capability: tools, vision, json_mode, reasoning, streaming, temperature, or a label from the config.",
            HelpName = "CAPABILITY",
        };
        var search = new Option<string?>("--search", "-s")
        {
            Description = "Only models whose name or provider contains this text.",
            HelpName = "TEXT",
        };
        var config = CliOptions.Config();
        var command = new Command("models",
            "List the models Switchboard knows (the shipped catalog plus the config's models:) with context window, prices per million tokens and capabilities.")
        {
            provider, capability, search, config,
        };
        command.SetAction(CliApp.Guard(env, (result, _) =>
            Task.FromResult(Run(env, result.GetValue(config), result.GetValue(provider), result.GetValue(capability), result.GetValue(search)))));
        return command;
    }

    private static int Run(CliEnvironment env, string? configPath, string? providerFilter, string? capability, string? search)
    {
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        using var runtime = new SwitchboardRuntime(options, environment: env.Variables);
        var catalog = runtime.Catalog;

        string? providerName = null;
        if (providerFilter is not null)
        {
            providerName = runtime.Providers.Find(providerFilter)?.Name ?? KnownProviders.Find(providerFilter)?.Name
                ?? catalog.Models.FirstOrDefault(m => string.Equals(m.Provider, providerFilter, StringComparison.OrdinalIgnoreCase))?.Provider
                ?? throw new UsageException($"Unknown provider '{providerFilter}'. Providers: {string.Join(", ", runtime.Providers.All.Select(p => p.Name))}.");
        }

        var models = catalog.Models
            .Where(m => providerName is null || string.Equals(m.Provider, providerName, StringComparison.OrdinalIgnoreCase))
            .Where(m => capability is null || m.Has(capability))
            .Where(m => search is null || m.Id.Contains(search, StringComparison.OrdinalIgnoreCase) || m.Provider.Contains(search, StringComparison.OrdinalIgnoreCase))
            .ToList();

        if (models.Count > 0)
        {
            var table = new Table()
                .AddColumn("Model")
                .AddColumn("Provider")
                .AddColumn(new TableColumn("Context").RightAligned())
                .AddColumn(new TableColumn("Max output").RightAligned())
                .AddColumn(new TableColumn("Input $/Mtok").RightAligned())
                .AddColumn(new TableColumn("Cached $/Mtok").RightAligned())
                .AddColumn(new TableColumn("Output $/Mtok").RightAligned())
                .AddColumn("Capabilities");
            foreach (var model in models)
            {
                table.AddRow(
                    Markup.Escape(ClientName(runtime, model)),
                    Markup.Escape(model.Provider),
                    Format.Count(model.ContextWindow),
                    Format.Count(model.MaxOutputTokens),
                    Format.Price(model.InputPerMtok),
                    Format.Price(model.CachedInputPerMtok),
                    Format.Price(model.OutputPerMtok),
                    Markup.Escape(string.Join(", ", model.Capabilities)));
            }
            env.Out.Write(table);
        }
        else
        {
            env.Out.MarkupLine("No models match.");
            if (capability is not null)
            {
                var known = catalog.Models.SelectMany(m => m.Capabilities).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase);
                env.Out.MarkupLineInterpolated($"Capabilities in the catalog: {string.Join(", ", known)}.");
            }
        }
        env.Out.MarkupLineInterpolated(
            $"[dim]{models.Count} {(models.Count == 1 ? "model" : "models")} · prices in USD per million tokens, taken {catalog.PricesTaken} · {Format.Unknown} = unknown[/]");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The name a client writes to reach this model: the bare id when that leads here, otherwise provider/id
    /// (a bare id can lead elsewhere: groq's openai/gpt-oss-120b read bare would go to OpenAI).
    /// </summary>
    private static string ClientName(SwitchboardRuntime runtime, CatalogModel model)
    {
        var prefixed = model.Provider + "/" + model.Id;
        if (!ReferenceEquals(runtime.Catalog.FindBare(model.Id), model)) return prefixed;
        try
        {
            var resolution = runtime.Resolver.Resolve(model.Id);
            return ReferenceEquals(resolution.CatalogModel, model) ? model.Id : prefixed;
        }
        catch (SwitchboardException)
        {
            return prefixed;
        }
    }
}
