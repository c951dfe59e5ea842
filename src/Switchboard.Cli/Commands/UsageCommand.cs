using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Configuration;
using Switchboard.Gateway;
using Switchboard.Storage;

namespace Switchboard.Cli.Commands;

/// <summary><c>switchboard usage</c>: the usage log the gateway keeps, grouped and totalled, as a table, JSON or CSV.</summary>
internal static class UsageCommand
{
    private static readonly string[] Formats = ["table", "json", "csv"];

    public static Command Create(CliEnvironment env)
    {
        var groupBy = new Option<string?>("--group-by", "-g")
        {
            Description = $"Comma-separated columns to group by: {string.Join(", ", UsageReports.Dimensions)}. Default: no grouping, only the totals.",
            HelpName = "COLUMNS",
        };
        var from = new Option<string?>("--from")
        {
            Description = "Only requests at or after this UTC date or time (2026-11-01 or 2026-11-01T12:00:00Z).",
            HelpName = "DATE",
        };
        var to = new Option<string?>("--to")
        {
            Description = "Only requests before this UTC date or time (excluded, so --from 2026-11-01 --to 2026-11-02 is one day).",
            HelpName = "DATE",
        };
        var key = new Option<string?>("--key") { Description = "Only requests made with this virtual key id (never the key itself).", HelpName = "KEY_ID" };
        var route = new Option<string?>("--route") { Description = "Only requests that named this route.", HelpName = "ROUTE" };
        var agent = new Option<string?>("--agent") { Description = "Only requests from this agent (x-switchboard-agent).", HelpName = "AGENT" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "table (default), json (the same report as GET /api/usage) or csv.",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong(Formats);
        var config = CliOptions.Config();
        var command = new Command("usage",
            "Report what the gateway's requests used and cost, from its usage log (storage: in the config, or SWITCHBOARD_DATABASE_URL). " +
            "Costs are in USD; requests whose price is unknown are counted apart, never as free.")
        {
            groupBy, from, to, key, route, agent, format, config,
        };
        command.SetAction(CliApp.Guard(env, (result, cancellationToken) => RunAsync(env, result.GetValue(config), Query(result, groupBy, from, to, key, route, agent), result.GetValue(format) ?? "table", cancellationToken)));
        return command;
    }

    private static UsageQuery Query(ParseResult result, Option<string?> groupBy, Option<string?> from, Option<string?> to, Option<string?> key, Option<string?> route, Option<string?> agent)
    {
        try
        {
            var query = new UsageQuery
            {
                GroupBy = UsageReports.ParseGroupBy(result.GetValue(groupBy)),
                From = result.GetValue(from) is { } start ? UsageReports.ParseTime(start) : null,
                To = result.GetValue(to) is { } end ? UsageReports.ParseTime(end) : null,
                KeyId = result.GetValue(key),
                Route = result.GetValue(route),
                Agent = result.GetValue(agent),
            };
            if (query.From is { } a && query.To is { } b && b <= a) throw new FormatException("--to must be later than --from.");
            return query;
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static async Task<int> RunAsync(CliEnvironment env, string? configPath, UsageQuery query, string format, CancellationToken cancellationToken)
    {
        var options = ConfigLoader.Load(configPath, env.Variables, env.WorkingDirectory);
        var storage = CliStorage.Storage(env, options);
        if (string.Equals(storage.Trim(), SwitchboardOptions.NoStorage, StringComparison.OrdinalIgnoreCase))
            throw new ConfigException("The config says storage: none, so no usage is kept. Set storage: sqlite:switchboard.db (or a postgres:// URL) and serve again.");
        ISwitchboardStore store;
        try
        {
            store = await SwitchboardStore.OpenAsync(storage, TimeProvider.System, cancellationToken);
        }
        catch (StoreException e)
        {
            throw new ConfigException($"storage: {e.Message}");
        }
        UsageReport report;
        await using (store) report = await store.QueryUsageAsync(query, cancellationToken);

        switch (format)
        {
            case "json":
                env.Out.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(report, StorageJsonContext.Default.UsageReport));
                break;
            case "csv":
                env.Out.Profile.Out.Writer.Write(UsageReports.ToCsv(report));
                break;
            default:
                WriteTable(env, report);
                break;
        }
        return ExitCodes.Ok;
    }

    private static void WriteTable(CliEnvironment env, UsageReport report)
    {
        if (report.Totals.Requests == 0)
        {
            env.Out.MarkupLine("No usage recorded for this selection.");
            return;
        }
        var table = new Table();
        foreach (var dimension in report.GroupBy) table.AddColumn(Title(UsageReports.NameOf(dimension)));
        if (report.GroupBy.Count == 0) table.AddColumn("");
        foreach (var column in new[] { "Requests", "Errors", "Input", "Cached input", "Cache write", "Output", "Reasoning", "Cost (USD)", "Unknown cost" })
            table.AddColumn(new TableColumn(column).RightAligned());
        if (report.GroupBy.Count > 0)
        {
            foreach (var row in report.Rows)
            {
                var cells = new List<string>();
                foreach (var dimension in report.GroupBy) cells.Add(Markup.Escape(UsageReports.ValueOf(row, dimension) is { Length: > 0 } value ? value : Format.Unknown));
                cells.AddRange(Counts(row));
                table.AddRow(cells.ToArray());
            }
        }
        var total = new List<string> { "[bold]Total[/]" };
        for (var i = 1; i < report.GroupBy.Count; i++) total.Add("");
        total.AddRange(Counts(report.Totals));
        table.AddRow(total.ToArray());
        env.Out.Write(table);
        if (report.Totals.UnknownCostRequests > 0)
            env.Out.MarkupLineInterpolated($"{Count(report.Totals.UnknownCostRequests)} requests were answered by models whose price is unknown: their cost is not in the totals.");
    }

    private static string[] Counts(UsageReportRow row) =>
    [
        Count(row.Requests), Count(row.Errors), Count(row.InputTokens), Count(row.CachedInputTokens), Count(row.CacheWriteTokens),
        Count(row.OutputTokens), Count(row.ReasoningTokens), Format.Cost(row.CostUsd), Count(row.UnknownCostRequests),
    ];

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Title(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
