using System.Text;
using System.Text.Json;
using Spectre.Console;
using Switchboard.Gateway.Execution;

namespace Switchboard.Cli;

/// <summary>How the gateway's own calls (a comparison's models, a workflow's stages) look in a table, and their JSON on standard output.</summary>
internal static class OutcomeCells
{
    /// <summary>The provider and model that answered, escaped for markup; the unknown mark when none was reached.</summary>
    public static string Deployment(ChatOutcome outcome) =>
        outcome.Provider is { } provider ? Markup.Escape($"{provider}/{outcome.Model}") : Format.Unknown;

    public static string Latency(ChatOutcome outcome) => Format.Milliseconds(outcome.LatencyMs);

    public static string InputTokens(ChatOutcome outcome) => Tokens(outcome, outcome.Usage?.Input);

    public static string OutputTokens(ChatOutcome outcome) => Tokens(outcome, outcome.Usage?.Output);

    /// <summary>The cost, "unknown" when the model's price is, and "failed" when the request did not answer.</summary>
    public static string Cost(ChatOutcome outcome) =>
        outcome.Error is not null ? "[red]failed[/]" : outcome.CostUsd is { } cost ? Format.Cost(cost) : "unknown";

    /// <summary>Writes JSON made by <paramref name="write"/> to standard output, indented for people, with a newline after.</summary>
    public static void WriteJson(CliEnvironment env, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true })) write(json);
        env.Out.Profile.Out.Writer.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string Tokens(ChatOutcome outcome, int? count) =>
        count is null ? Format.Unknown : outcome.UsageEstimated ? "~" + Format.Count(count.Value) : Format.Count(count.Value);
}
