using Switchboard.Usage;

namespace Switchboard.Storage.Tests;

/// <summary>Usage records for tests, with every field a report reads set to something plain.</summary>
internal static class Records
{
    public static readonly DateTimeOffset Day1 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    public static UsageRecord Make(
        int sequence = 0,
        DateTimeOffset? time = null,
        string? provider = "openai",
        string? model = "gpt-4o",
        string? key = null,
        int input = 10,
        int output = 5,
        decimal? cost = 0.001m,
        int status = 200) => new()
        {
            Id = Guid.NewGuid(),
            RequestId = "req-" + sequence,
            Time = time ?? Day1,
            KeyId = key,
            Provider = provider,
            Model = model,
            InputTokens = input,
            OutputTokens = output,
            CostUsd = cost,
            LatencyMs = 12.5,
            Attempts = 1,
            Status = status,
        };
}
