using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Usage;

namespace Switchboard.Execution;

/// <summary>
/// A streamed completion: read its chunks as they arrive; once read to the end, <see cref="Usage"/> and
/// <see cref="Cost"/> hold what the provider reported.
/// </summary>
public sealed class ChatStream : IAsyncDisposable
{
    private readonly UpstreamResult _result;

    internal ChatStream(UpstreamResult result) => _result = result;

    public ModelResolution Target => _result.Target;

    public int Attempts => _result.Attempts;

    public TokenUsage? Usage { get; private set; }

    public decimal? Cost => Usage is { } usage ? CostCalculator.Cost(usage, Target.CatalogModel) : null;

    /// <summary>The chunks as the provider sends them; a broken or malformed stream throws a <see cref="SwitchboardException"/>.</summary>
    public async IAsyncEnumerable<ChatChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(_result.Response.Body);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw UpstreamErrors.Malformed(Target, Attempts, "the stream broke off before it ended");
            }
            if (line is null) throw UpstreamErrors.Malformed(Target, Attempts, "the stream ended without its final data: [DONE] event");
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var payload = line.AsSpan(5).Trim();
            if (payload.SequenceEqual("[DONE]")) yield break;

            ChatChunk chunk;
            try
            {
                using var document = JsonDocument.Parse(payload.ToString());
                if (document.RootElement.TryGetProperty("error", out var error))
                {
                    var message = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() : error.ToString();
                    throw new SwitchboardException(ErrorCategory.Unavailable, 502, message ?? "the provider ended the stream with an error")
                    {
                        Attempts = Attempts,
                        Provider = Target.Provider.Name,
                    };
                }
                chunk = document.RootElement.Deserialize(ChatJsonContext.Default.ChatChunk)!;
            }
            catch (JsonException)
            {
                throw UpstreamErrors.Malformed(Target, Attempts, "a stream event is not valid JSON");
            }
            if (chunk.Usage is { } usage) Usage = ChatUsageMapping.ToTokenUsage(usage);
            yield return chunk;
        }
    }

    public ValueTask DisposeAsync()
    {
        _result.Dispose();
        return ValueTask.CompletedTask;
    }
}
