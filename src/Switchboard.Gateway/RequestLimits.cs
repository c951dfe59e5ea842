using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchboard.Configuration;
using Switchboard.Routing;
using Switchboard.Storage;
using Switchboard.Usage;

namespace Switchboard.Gateway;

/// <summary>
/// What a chat request may do before it is sent (the key's models and routes, its rate limits, the budgets of the
/// key, the provider and the model) and what it used after (tokens per minute, spend). Counters and ledgers live in
/// the store, so every gateway process on one database enforces the same limits.
/// </summary>
/// <remarks>
/// Budgets are checked before the call and charged after it, so requests already in flight when a budget is reached
/// still finish and count: the overshoot is bounded by the cost of the requests in flight at that moment.
/// </remarks>
internal sealed class RequestLimits(ISwitchboardStore? store, BudgetsOptions budgets, TimeProvider time)
{
    /// <summary>
    /// Checks the request and returns the decision to call with: candidates whose provider or model budget is spent
    /// are left out (and listed as skipped), so a route falls through to the next. Sets the <c>x-ratelimit-*</c>
    /// headers of the key's limits.
    /// </summary>
    /// <exception cref="SwitchboardException">403 for a model or route the key does not allow; 429 for a limit reached or a budget spent.</exception>
    public async Task<RoutingDecision> CheckAsync(IHeaderDictionary responseHeaders, VirtualKey? key, RoutingDecision decision, CancellationToken cancellationToken)
    {
        if (key is not null) decision = Allowed(key, decision);
        if (store is null) return decision;
        var now = time.GetUtcNow();
        if (key is not null) await CheckKeyAsync(store, responseHeaders, key, now, cancellationToken);
        if (budgets.IsEmpty) return decision;

        var kept = new List<RouteCandidate>(decision.Candidates.Count);
        var skipped = new List<SkippedTarget>();
        SwitchboardException? first = null;
        foreach (var candidate in decision.Candidates)
        {
            var spent = await SpentAsync(store, SpendScope.Provider(candidate.Target.Provider.Name), budgets.Providers.GetValueOrDefault(candidate.Target.Provider.Name), now, cancellationToken)
                ?? await SpentAsync(store, SpendScope.Model(candidate.Target.Model), budgets.Models.GetValueOrDefault(candidate.Target.Model), now, cancellationToken);
            if (spent is null)
            {
                kept.Add(candidate);
                continue;
            }
            first ??= spent;
            skipped.Add(new SkippedTarget(candidate.Deployment, spent.Message));
        }
        if (kept.Count == 0 && first is not null) throw first;
        return skipped.Count == 0 ? decision : decision with { Candidates = kept, Skipped = [.. decision.Skipped, .. skipped] };
    }

    /// <summary>
    /// Counts the request's tokens and cost against the key's limits and the budgets, once, when they are known. The
    /// client going away does not undo what the provider has already charged, so this is not cancelled with it.
    /// </summary>
    public async Task ChargeAsync(RequestUsage account, VirtualKey? key)
    {
        if (account.Charged || account.Tokens is not { } tokens || account.Target is not { } target) return;
        account.Charged = true;
        await ChargeAsync(key, target.Provider.Name, target.Model, tokens, CostCalculator.Cost(tokens, target.CatalogModel), CancellationToken.None);
    }

    /// <summary>
    /// Counts what the request used: its tokens against the key's tokens per minute, its cost against the key's,
    /// the provider's and the model's ledgers, in one statement. An unknown cost adds nothing.
    /// </summary>
    public async Task ChargeAsync(VirtualKey? key, string provider, string model, TokenUsage tokens, decimal? cost, CancellationToken cancellationToken)
    {
        if (store is null) return;
        var now = time.GetUtcNow();
        if (key?.TokensPerMinute is not null && tokens.Total > 0)
            await store.IncrementRateAsync(RateScope.Tokens(key.Id), tokens.Total, now, cancellationToken);
        if (cost is not { } usd || usd <= 0) return;
        // With no key and no budget nothing reads the ledgers, and the usage log has the spend: the request is spared a
        // synchronous write. A budget added later therefore starts from what was charged while budgets were set.
        if (key is null && budgets.IsEmpty) return;
        SpendScope[] scopes = key is null
            ? [SpendScope.Provider(provider), SpendScope.Model(model)]
            : [SpendScope.Key(key.Id), SpendScope.Provider(provider), SpendScope.Model(model)];
        await store.AddSpendAsync(scopes, usd, now, cancellationToken);
    }

    private static RoutingDecision Allowed(VirtualKey key, RoutingDecision decision)
    {
        if (decision.Route is { } route)
        {
            if (!key.AllowsRoute(route)) throw NotAllowed(key, $"route {route}");
            if (key.AllowedModels.Count == 0) return decision;
            // A key limited to some models reaches only those through a route too.
            var kept = decision.Candidates.Where(c => AllowsTarget(key, c)).ToList();
            if (kept.Count == 0) throw NotAllowed(key, $"route {route}, whose models it may not call");
            return kept.Count == decision.Candidates.Count ? decision : decision with { Candidates = kept };
        }
        if (key.AllowsModel(decision.Requested) || decision.Candidates.Count > 0 && decision.Candidates.All(c => AllowsTarget(key, c))) return decision;
        throw NotAllowed(key, $"model {decision.Requested}");
    }

    private static bool AllowsTarget(VirtualKey key, RouteCandidate candidate) =>
        key.AllowsModel(candidate.Target.Model) || key.AllowsModel(candidate.Deployment);

    private static SwitchboardException NotAllowed(VirtualKey key, string what)
    {
        var models = key.AllowedModels.Count == 0 ? "any model" : "models " + string.Join(", ", key.AllowedModels);
        var routes = key.AllowedRoutes.Count == 0 ? "any route" : "routes " + string.Join(", ", key.AllowedRoutes);
        return new SwitchboardException(ErrorCategory.Authentication, 403,
            $"The virtual key {KeyCheck.Describe(key)} may not call {what}. It may call {models} and {routes}.", param: "model", code: "model_not_allowed");
    }

    private static async Task CheckKeyAsync(ISwitchboardStore store, IHeaderDictionary headers, VirtualKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (key.RequestsPerMinute is { } rpm)
        {
            // Counted before the call, refused ones too: a client that keeps knocking stays refused until the window resets.
            var window = await store.IncrementRateAsync(RateScope.Requests(key.Id), 1, now, cancellationToken);
            headers[RateLimitHeaders.LimitRequests] = Text(rpm);
            headers[RateLimitHeaders.RemainingRequests] = Text(window.Remaining(rpm));
            headers[RateLimitHeaders.ResetRequests] = Seconds(window.ResetsAt - now) + "s";
            if (window.Exceeds(rpm)) throw OverLimit(key, $"{rpm} requests per minute", window, now);
        }
        if (key.TokensPerMinute is { } tpm)
        {
            // Tokens are known only after the answer: refuse once the window is full, count the tokens when it ends.
            var window = await store.GetRateAsync(RateScope.Tokens(key.Id), now, cancellationToken);
            headers[RateLimitHeaders.LimitTokens] = Text(tpm);
            headers[RateLimitHeaders.RemainingTokens] = Text(window.Remaining(tpm));
            headers[RateLimitHeaders.ResetTokens] = Seconds(window.ResetsAt - now) + "s";
            if (window.Count >= tpm) throw OverLimit(key, $"{tpm} tokens per minute", window, now);
        }
        if (key.BudgetUsd is { } budget)
        {
            var spend = await store.GetSpendAsync(SpendScope.Key(key.Id), key.BudgetPeriod, now, cancellationToken);
            if (spend.Usd >= budget) throw BudgetExceeded($"The virtual key {KeyCheck.Describe(key)}", budget, spend);
        }
    }

    /// <summary>The refusal when the scope's budget is spent; null when there is no budget or money is left.</summary>
    private static async Task<SwitchboardException?> SpentAsync(ISwitchboardStore store, SpendScope scope, BudgetOptions? budget, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (budget is null) return null;
        var spend = await store.GetSpendAsync(scope, PeriodOf(budget), now, cancellationToken);
        if (spend.Usd < budget.Usd) return null;
        var who = scope.Kind == SpendScopeKind.Provider ? $"The provider {scope.Name}" : $"The model {scope.Name}";
        return BudgetExceeded(who, budget.Usd, spend);
    }

    public static BudgetPeriod PeriodOf(BudgetOptions budget) => budget.Period switch
    {
        "day" => BudgetPeriod.Day,
        "week" => BudgetPeriod.Week,
        "total" => BudgetPeriod.Total,
        _ => BudgetPeriod.Month,
    };

    private static SwitchboardException OverLimit(VirtualKey key, string limit, RateWindow window, DateTimeOffset now)
    {
        var wait = window.ResetsAt - now;
        return new SwitchboardException(ErrorCategory.RateLimited, 429,
            $"The virtual key {KeyCheck.Describe(key)} is over its limit of {limit}. The window resets in {Seconds(wait)} s.", code: "rate_limit_exceeded")
        {
            RetryAfter = wait,
        };
    }

    private static SwitchboardException BudgetExceeded(string who, decimal budget, PeriodSpend spend)
    {
        var period = spend.Period.ToString().ToLowerInvariant();
        var resets = spend.ResetsAt is { } at ? $"It resets at {KeyCheck.Format(at)}." : "A total budget never resets; raise it to go on.";
        // No Retry-After: the wait is hours or days, which a client's automatic retry should not sit out.
        return new SwitchboardException(ErrorCategory.RateLimited, 429,
            $"{who} has spent ${Money(spend.Usd)} of its {period} budget of ${Money(budget)}. {resets}",
            code: "budget_exceeded");
    }

    private static string Money(decimal usd) => usd.ToString("0.00####", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
