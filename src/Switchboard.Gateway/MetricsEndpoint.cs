using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Metrics;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// <c>GET /metrics</c>: the gateway's counters, histograms and live state in Prometheus's text format. Behind the
/// master key like <c>/api</c>, since its labels name keys' ids, routes and models.
/// </summary>
internal static class MetricsEndpoint
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Map(WebApplication app, SwitchboardRuntime runtime, UsageRecorder usage)
    {
        app.MapGet("/metrics", async context =>
        {
            var providers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var provider in runtime.Providers.All)
            {
                if (provider.IsEnabled) providers.Add(provider.Name);
            }
            foreach (var deployment in runtime.Deployments.Deployments) providers.Add(deployment.Provider);
            var text = usage.Metrics.Format(runtime.Deployments, providers, usage.Writer);
            var budgets = await BudgetsAsync(runtime, context.RequestServices.GetService<ISwitchboardStore>(), context.RequestAborted);
            context.Response.ContentType = ContentType;
            await context.Response.WriteAsync(text + budgets, context.RequestAborted);
        });
    }

    /// <summary>
    /// <c>switchboard_budget_remaining_usd</c>: what is left of each budget in its current window, read from the shared
    /// ledger on scrape (so every replica reports the same), for the config's provider and model budgets and each
    /// active key with one. Never below zero.
    /// </summary>
    private static async Task<string> BudgetsAsync(SwitchboardRuntime runtime, ISwitchboardStore? store, CancellationToken cancellationToken)
    {
        if (store is null) return "";
        var now = runtime.Time.GetUtcNow();
        var budgets = new List<(string Scope, string Name, SpendScope Ledger, decimal Usd, BudgetPeriod Period)>();
        foreach (var (name, budget) in runtime.Options.Budgets.Providers) budgets.Add(("provider", name, SpendScope.Provider(name), budget.Usd, Enum.Parse<BudgetPeriod>(budget.Period, ignoreCase: true)));
        foreach (var (name, budget) in runtime.Options.Budgets.Models) budgets.Add(("model", name, SpendScope.Model(name), budget.Usd, Enum.Parse<BudgetPeriod>(budget.Period, ignoreCase: true)));
        foreach (var key in await store.ListKeysAsync(cancellationToken))
        {
            if (key.BudgetUsd is { } usd && key.StatusAt(now) == VirtualKeyStatus.Active) budgets.Add(("key", key.Id, SpendScope.Key(key.Id), usd, key.BudgetPeriod));
        }
        if (budgets.Count == 0) return "";
        var text = new StringBuilder("# HELP switchboard_budget_remaining_usd What is left of a budget in its current window, in USD.\n# TYPE switchboard_budget_remaining_usd gauge\n");
        foreach (var (scope, name, ledger, usd, period) in budgets)
        {
            var spent = await store.GetSpendAsync(ledger, period, now, cancellationToken);
            text.Append("switchboard_budget_remaining_usd{scope=\"").Append(scope).Append("\",name=\"");
            GatewayMetrics.AppendEscaped(text, name);
            text.Append("\",period=\"").Append(period.ToString().ToLowerInvariant()).Append("\"} ")
                .Append(Math.Max(0, usd - spent.Usd).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }
}
