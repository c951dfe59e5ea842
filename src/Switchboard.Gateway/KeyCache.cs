using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Switchboard.Storage;

namespace Switchboard.Gateway;

/// <summary>
/// Virtual key look-ups, remembered for a few seconds per key so the hot path does not ask the database on every
/// request. Expiry is judged on each request from the cached record, so it is exact; a revocation made by another
/// gateway process (or straight on the store) takes effect here within <see cref="Lifetime"/>. Revoking through this
/// process's <c>/api/keys</c> forgets the key at once.
/// </summary>
internal sealed class KeyCache(IKeyStore store, TimeProvider time)
{
    /// <summary>How long a look-up is trusted.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);

    /// <summary>Past this many entries the cache starts again empty, so a client sending random keys cannot grow it without end.</summary>
    private const int Capacity = 10_000;

    // Keyed by the key's SHA-256, so the plaintext key is not kept in memory longer than the request holding it.
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async ValueTask<VirtualKey?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(hash, out var entry) && entry.Until > now) return entry.Key;
        var key = await store.FindKeyAsync(presented, cancellationToken);
        if (_entries.Count >= Capacity) _entries.Clear();
        // Unknown keys are remembered too: a client retrying a wrong key should not cost a query each time.
        _entries[hash] = new Entry(key, now + Lifetime);
        return key;
    }

    /// <summary>Drops the key with this id, so its revocation holds here at once.</summary>
    public void Forget(string id)
    {
        foreach (var (hash, entry) in _entries)
        {
            if (entry.Key?.Id == id) _entries.TryRemove(hash, out _);
        }
    }

    private sealed record Entry(VirtualKey? Key, DateTimeOffset Until);
}
