using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Storage;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard keys create|list|revoke</c>: virtual keys, worked on straight in the store the config names
/// (<c>storage:</c> or <c>SWITCHBOARD_DATABASE_URL</c>), so no gateway needs to be running. Whoever can open the
/// store can manage keys; that is the same trust as holding the database password.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliEnvironment env) => new("keys",
        "Create, list and revoke virtual keys (sk-sb-...): the keys apps send to the gateway, each with its own models, rate limits and budget. Works on the store from the config (storage: or SWITCHBOARD_DATABASE_URL).")
    {
        CreateCommand(env), ListCommand(env), RevokeCommand(env),
    };

    private static Command CreateCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var name = new Option<string?>("--name", "-n") { Description = "A name for people, such as team-search or ci; not secret.", HelpName = "NAME" };
        var models = new Option<string[]>("--model", "-m") { Description = "A model the key may call; repeat for more. Default: any model.", HelpName = "MODEL", AllowMultipleArgumentsPerToken = false };
        var routes = new Option<string[]>("--route", "-r") { Description = "A route the key may call; repeat for more. Default: any route.", HelpName = "ROUTE" };
        var rpm = CliOptions.Integer("--rpm", 1, int.MaxValue);
        rpm.Description = "Requests per minute, across every gateway on the store. Default: no limit.";
        rpm.HelpName = "N";
        var tpm = CliOptions.Integer("--tpm", 1, int.MaxValue);
        tpm.Description = "Tokens (input plus output) per minute. Default: no limit.";
        tpm.HelpName = "N";
        var budget = CliOptions.Number("--budget", 0, 1e9);
        budget.Description = "USD the key may spend per --period. Default: no budget.";
        budget.HelpName = "USD";
        var period = new Option<string>("--period") { Description = "The budget's window: day, week, month (UTC) or total. Default: month.", HelpName = "PERIOD", DefaultValueFactory = _ => "month" };
        period.AcceptOnlyFromAmong("day", "week", "month", "total");
        var expires = new Option<string?>("--expires") { Description = "When the key stops working: a date and time (2026-12-31T23:59:59Z) or a duration from now (30d, 12h).", HelpName = "WHEN" };
        var metadata = new Option<string[]>("--meta") { Description = "A key=value pair kept with the key (owner=ana); repeat for more.", HelpName = "KEY=VALUE" };
        var command = new Command("create", "Create a virtual key and print it once: it is stored only as a hash and cannot be shown again.")
        {
            name, models, routes, rpm, tpm, budget, period, expires, metadata, config,
        };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            var options = new VirtualKeyOptions
            {
                Name = result.GetValue(name),
                AllowedModels = result.GetValue(models) ?? [],
                AllowedRoutes = result.GetValue(routes) ?? [],
                RequestsPerMinute = result.GetValue(rpm),
                TokensPerMinute = result.GetValue(tpm),
                BudgetUsd = result.GetValue(budget) is { } usd ? (decimal)usd : null,
                BudgetPeriod = Enum.Parse<BudgetPeriod>(result.GetValue(period) ?? "month", ignoreCase: true),
                Expires = result.GetValue(expires) is { } when ? Expiry(when) : null,
                Metadata = Metadata(result.GetValue(metadata) ?? []),
            };
            await using var store = await OpenAsync(env, result.GetValue(config), cancellationToken);
            var created = await store.CreateKeyAsync(options, cancellationToken);
            env.Out.WriteLine(created.Key);
            env.Error.MarkupLineInterpolated($"Created {created.Record.Id}{(options.Name is null ? "" : " (" + options.Name + ")")}. The key above is shown once: store it now. Send it as Authorization: Bearer <key>.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ListCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var command = new Command("list", "List every virtual key, revoked and expired ones too, with its limits; never the key itself.") { config };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            await using var store = await OpenAsync(env, result.GetValue(config), cancellationToken);
            var keys = await store.ListKeysAsync(cancellationToken);
            if (keys.Count == 0)
            {
                env.Out.WriteLine("No virtual keys yet. Create one: switchboard keys create --name NAME");
                return ExitCodes.Ok;
            }
            var now = DateTimeOffset.UtcNow;
            var table = new Table().AddColumns("Id", "Name", "Key", "Status", "Created", "Expires", "Models", "Routes", "RPM", "TPM", "Budget");
            foreach (var key in keys)
            {
                table.AddRow(
                    Markup.Escape(key.Id),
                    Markup.Escape(key.Name ?? ""),
                    Markup.Escape(key.Hint),
                    key.StatusAt(now).ToString().ToLowerInvariant(),
                    Time(key.Created),
                    key.Expires is { } expires ? Time(expires) : "never",
                    Markup.Escape(key.AllowedModels.Count == 0 ? "any" : string.Join(", ", key.AllowedModels)),
                    Markup.Escape(key.AllowedRoutes.Count == 0 ? "any" : string.Join(", ", key.AllowedRoutes)),
                    key.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    key.TokensPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",
                    key.BudgetUsd is { } usd ? $"${usd.ToString("0.00####", CultureInfo.InvariantCulture)}/{key.BudgetPeriod.ToString().ToLowerInvariant()}" : "-");
            }
            env.Out.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command RevokeCommand(CliEnvironment env)
    {
        var config = CliOptions.Config();
        var id = new Argument<string>("id") { Description = "The key's id (vk_...), as keys list shows it." };
        var command = new Command("revoke", "Revoke a virtual key now. Gateways refuse it within 5 seconds (they cache key look-ups that long).") { id, config };
        command.SetAction(CliApp.Guard(env, async (result, cancellationToken) =>
        {
            var keyId = result.GetValue(id)!;
            await using var store = await OpenAsync(env, result.GetValue(config), cancellationToken);
            if (!await store.RevokeKeyAsync(keyId, cancellationToken))
                throw new UsageException($"There is no virtual key with id {keyId}. switchboard keys list shows them.");
            env.Out.MarkupLineInterpolated($"Revoked {keyId}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Task<ISwitchboardStore> OpenAsync(CliEnvironment env, string? configPath, CancellationToken cancellationToken) =>
        CliStorage.OpenAsync(env, ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory), "virtual keys", cancellationToken);

    private static DateTimeOffset Expiry(string text)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return time;
        var days = text.EndsWith('d') && int.TryParse(text[..^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : (int?)null;
        if (days is { } count) return DateTimeOffset.UtcNow.AddDays(count);
        if (ConfigValues.ParseDuration(text) is { } duration && duration > TimeSpan.Zero) return DateTimeOffset.UtcNow + duration;
        throw new UsageException($"--expires must be a date and time such as 2026-12-31T23:59:59Z or a duration such as 30d or 12h, not '{text}'.");
    }

    private static Dictionary<string, string> Metadata(string[] pairs)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new UsageException($"--meta takes key=value, such as owner=ana, not '{pair}'.");
            metadata[pair[..equals]] = pair[(equals + 1)..];
        }
        return metadata;
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
