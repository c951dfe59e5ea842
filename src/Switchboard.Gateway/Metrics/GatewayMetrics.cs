using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Switchboard.Resilience;
using Switchboard.Storage;
using Switchboard.Usage;

namespace Switchboard.Gateway.Metrics;

/// <summary>
/// The gateway's Prometheus metrics. Each request's <see cref="UsageRecord"/> is counted here with lock-free
/// increments on series looked up by their labels (no strings built per request); the text exposition format is
/// written only when <c>/metrics</c> is scraped, together with live state (circuits, provider health, the writer).
/// </summary>
/// <remarks>
/// Labels come from requests, so their count is capped: after <see cref="MaxSeries"/> distinct series, new label
/// sets are counted under <c>other</c> instead of growing the scrape (and memory) without bound.
/// </remarks>
internal sealed class GatewayMetrics
{
    public const int MaxSeries = 5000;
    public const string Other = "other";
    public const string None = "none";

    private readonly ConcurrentDictionary<(string Provider, string Model, string Route, string Key, int Status), StrongBox<long>> _requests = new();
    private readonly ConcurrentDictionary<(string Provider, string Model, string Category), StrongBox<long>> _errors = new();
    private readonly ConcurrentDictionary<(string Provider, string Model), ModelSeries> _models = new();
    private int _series;
    private long _unknownCost;
    private long _inFlight;

    /// <summary>Chat requests being handled now.</summary>
    public long InFlight => Interlocked.Read(ref _inFlight);

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestEnded() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Counts one finished request.</summary>
    public void Record(UsageRecord record)
    {
        var provider = record.Provider ?? None;
        var model = record.Model ?? None;
        var requests = Series(_requests, (provider, model, record.Route ?? None, record.KeyId ?? None, record.Status), (Other, Other, Other, Other, record.Status), NewCounter);
        Interlocked.Increment(ref requests.Value);
        if (record.ErrorCategory is { } category)
        {
            var errors = Series(_errors, (provider, model, category), (Other, Other, category), NewCounter);
            Interlocked.Increment(ref errors.Value);
        }

        if (record.CostUsd is null) Interlocked.Increment(ref _unknownCost);
        // A request no provider answered has no tokens, cost or latency worth a per-model series.
        if (record.Provider is null) return;
        var series = Series(_models, (provider, model), (Other, Other), NewModel);
        Add(ref series.Tokens[0], record.InputTokens);
        Add(ref series.Tokens[1], record.CachedInputTokens);
        Add(ref series.Tokens[2], record.CacheWriteTokens);
        Add(ref series.Tokens[3], record.OutputTokens);
        Add(ref series.Tokens[4], record.ReasoningTokens);
        if (record.CostUsd is { } cost && cost != 0) Counters.Add(ref series.CostUsd, (double)cost);
        series.Duration.Observe(record.LatencyMs / 1000);
        if (record.TimeToFirstTokenMs is { } ttft) series.TimeToFirstToken.Observe(ttft / 1000);
    }


    private static StrongBox<long> NewCounter<TKey>(TKey _) => new();

    private static ModelSeries NewModel((string, string) _) => new();

    private static void Add(ref long target, int value)
    {
        if (value != 0) Interlocked.Add(ref target, value);
    }

    private TValue Series<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map, TKey key, TKey other, Func<TKey, TValue> create)
        where TKey : notnull
    {
        if (map.TryGetValue(key, out var found)) return found;
        if (Interlocked.Increment(ref _series) > MaxSeries)
        {
            Interlocked.Decrement(ref _series);
            return map.GetOrAdd(other, create);
        }
        var created = create(key);
        if (map.TryAdd(key, created)) return created;
        // Another request added the same series first: it is counted once.
        Interlocked.Decrement(ref _series);
        return map[key];
    }

    /// <summary>Writes every metric in the text exposition format, version 0.0.4.</summary>
    public string Format(DeploymentRegistry deployments, IEnumerable<string> providers, UsageWriter? writer)
    {
        var text = new StringBuilder(4096);

        Header(text, "switchboard_requests_total", "counter", "Chat requests finished, by provider, model, route, virtual key id and HTTP status.");
        foreach (var (key, count) in _requests.OrderBy(p => p.Key))
        {
            Name(text, "switchboard_requests_total");
            Labels(text, ("provider", key.Provider), ("model", key.Model), ("route", key.Route), ("key", key.Key), ("status", key.Status.ToString(CultureInfo.InvariantCulture)));
            Value(text, Interlocked.Read(ref count.Value));
        }

        Header(text, "switchboard_errors_total", "counter", "Chat requests that failed, by provider, model and error category.");
        foreach (var (key, count) in _errors.OrderBy(p => p.Key))
        {
            Name(text, "switchboard_errors_total");
            Labels(text, ("provider", key.Provider), ("model", key.Model), ("category", key.Category));
            Value(text, Interlocked.Read(ref count.Value));
        }

        var models = _models.OrderBy(p => p.Key).ToList();
        Header(text, "switchboard_tokens_total", "counter", "Tokens used, by provider, model and kind (input includes cached_input and cache_write; output includes reasoning).");
        foreach (var (key, series) in models)
        {
            for (var kind = 0; kind < ModelSeries.TokenKinds.Length; kind++)
            {
                Name(text, "switchboard_tokens_total");
                Labels(text, ("provider", key.Provider), ("model", key.Model), ("kind", ModelSeries.TokenKinds[kind]));
                Value(text, Interlocked.Read(ref series.Tokens[kind]));
            }
        }

        Header(text, "switchboard_cost_usd_total", "counter", "Known cost in USD, by provider and model; requests of unknown price add nothing.");
        foreach (var (key, series) in models)
        {
            Name(text, "switchboard_cost_usd_total");
            Labels(text, ("provider", key.Provider), ("model", key.Model));
            Value(text, Volatile.Read(ref series.CostUsd));
        }

        Header(text, "switchboard_unknown_cost_requests_total", "counter", "Requests answered by a model whose price is unknown.");
        Name(text, "switchboard_unknown_cost_requests_total");
        Value(text, Interlocked.Read(ref _unknownCost));

        Header(text, "switchboard_request_duration_seconds", "histogram", "Time from a chat request's arrival to its last byte, by provider and model.");
        foreach (var (key, series) in models) WriteHistogram(text, "switchboard_request_duration_seconds", key, series.Duration);
        Header(text, "switchboard_time_to_first_token_seconds", "histogram", "Time from a streamed chat request's arrival to its first bytes, by provider and model.");
        foreach (var (key, series) in models)
        {
            if (series.TimeToFirstToken.Count > 0) WriteHistogram(text, "switchboard_time_to_first_token_seconds", key, series.TimeToFirstToken);
        }

        Header(text, "switchboard_requests_in_flight", "gauge", "Chat requests being handled now.");
        Name(text, "switchboard_requests_in_flight");
        Value(text, InFlight);

        Header(text, "switchboard_circuit_state", "gauge", "Each deployment's circuit: 0 closed, 1 half-open, 2 open.");
        foreach (var deployment in deployments.Deployments.OrderBy(d => d.Provider, StringComparer.Ordinal).ThenBy(d => d.Model, StringComparer.Ordinal))
        {
            Name(text, "switchboard_circuit_state");
            Labels(text, ("provider", deployment.Provider), ("model", deployment.Model));
            Value(text, deployment.Circuit switch { "closed" => 0, "half-open" => 1, _ => 2 });
        }

        Header(text, "switchboard_provider_health", "gauge", "Each provider's health from recent calls: 1 healthy, 0.5 degraded, 0 down.");
        foreach (var provider in providers.Order(StringComparer.Ordinal))
        {
            Name(text, "switchboard_provider_health");
            Labels(text, ("provider", provider));
            Value(text, deployments.Status(provider) switch { HealthStatus.Healthy => 1, HealthStatus.Degraded => 0.5, _ => 0 });
        }

        if (writer is not null)
        {
            Single(text, "switchboard_usage_records_written_total", "counter", "Usage records written to the store.", writer.Written);
            Single(text, "switchboard_usage_records_dropped_total", "counter", "Usage records not accepted by the writer (stopped, or buffer full).", writer.Dropped);
            Single(text, "switchboard_usage_records_failed_total", "counter", "Usage records given up after every write failed.", writer.Failed);
            Single(text, "switchboard_usage_records_pending", "gauge", "Usage records accepted and not yet written.", writer.Pending);
        }
        return text.ToString();
    }

    private static void Single(StringBuilder text, string name, string type, string help, long value)
    {
        Header(text, name, type, help);
        Name(text, name);
        Value(text, value);
    }

    private static void WriteHistogram(StringBuilder text, string name, (string Provider, string Model) key, Histogram histogram)
    {
        // Count before buckets: a scrape racing a request may then see the buckets one ahead of the count, never behind.
        var count = histogram.Count;
        var sum = histogram.Sum;
        var cumulative = histogram.Cumulative();
        for (var i = 0; i < cumulative.Length; i++)
        {
            Name(text, name + "_bucket");
            var le = i < histogram.Bounds.Length ? Number(histogram.Bounds[i]) : "+Inf";
            Labels(text, ("provider", key.Provider), ("model", key.Model), ("le", le));
            Value(text, i < histogram.Bounds.Length ? cumulative[i] : Math.Max(cumulative[i], count));
        }
        Name(text, name + "_sum");
        Labels(text, ("provider", key.Provider), ("model", key.Model));
        Value(text, sum);
        Name(text, name + "_count");
        Labels(text, ("provider", key.Provider), ("model", key.Model));
        Value(text, Math.Max(cumulative[^1], count));
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Name(StringBuilder text, string name) => text.Append(name);

    private static void Labels(StringBuilder text, params ReadOnlySpan<(string Name, string Value)> labels)
    {
        text.Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0) text.Append(',');
            text.Append(labels[i].Name).Append("=\"");
            AppendEscaped(text, labels[i].Value);
            text.Append('"');
        }
        text.Append('}');
    }

    /// <summary>Label values escape backslash, double quote and line feed, as the format requires.</summary>
    internal static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                default: text.Append(c); break;
            }
        }
    }

    private static void Value(StringBuilder text, long value) => text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Value(StringBuilder text, double value) => text.Append(' ').Append(Number(value)).Append('\n');

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
