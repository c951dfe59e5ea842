using System.Buffers;
using System.Runtime.CompilerServices;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Usage;

namespace Switchboard.Execution;

/// <summary>
/// A streamed completion: read its chunks as they arrive, whatever the provider's dialect; once read to the
/// end, <see cref="Usage"/> and <see cref="Cost"/> hold what the provider reported.
/// </summary>
public sealed class ChatStream : IAsyncDisposable
{
    private readonly UpstreamResult _result;
    private readonly long _created;

    internal ChatStream(UpstreamResult result, long created)
    {
        _result = result;
        _created = created;
    }

    public ModelResolution Target => _result.Target;

    public int Attempts => _result.Attempts;

    public TokenUsage? Usage { get; private set; }

    public decimal? Cost => Usage is { } usage ? CostCalculator.Cost(usage, Target.CatalogModel) : null;

    /// <summary>The chunks as the provider sends them; a broken or malformed stream throws a <see cref="SwitchboardException"/>.</summary>
    public async IAsyncEnumerable<ChatChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var decoder = Target.Provider.Adapter!.CreateStreamDecoder();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _result.Response.Body.ReadAsync(buffer, cancellationToken);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    throw UpstreamErrors.Malformed(Target, Attempts, "the stream broke off before it ended");
                }
                if (read == 0) break;
                var collector = new ChunkCollector(_created);
                decoder.Decode(buffer.AsSpan(0, read), collector);
                Usage = decoder.Usage ?? Usage;
                foreach (var chunk in collector.Chunks) yield return chunk;
                if (decoder.Malformed is { } malformed) throw UpstreamErrors.Malformed(Target, Attempts, malformed);
            }
            if (!decoder.Completed) throw UpstreamErrors.Malformed(Target, Attempts, "the stream ended without its final event");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public ValueTask DisposeAsync()
    {
        _result.Dispose();
        return ValueTask.CompletedTask;
    }
}
