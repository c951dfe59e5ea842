namespace Switchboard.Providers;

/// <summary>
/// A provider's keys. Keys are used in turn; a key the provider refused (401/403) or rate limited (429)
/// is rested for a while and the next one used. When every key is resting, the one that wakes first is used.
/// </summary>
public sealed class CredentialPool
{
    private readonly string[] _keys;
    private readonly long[] _restingUntil;
    private readonly TimeProvider _time;
    private int _next = -1;

    public CredentialPool(IReadOnlyList<string> keys, TimeProvider time)
    {
        _keys = [.. keys];
        _restingUntil = new long[_keys.Length];
        _time = time;
    }

    public int Count => _keys.Length;

    /// <summary>How many keys are not resting now.</summary>
    public int Available
    {
        get
        {
            var now = _time.GetTimestamp();
            var available = 0;
            for (var i = 0; i < _restingUntil.Length; i++) available += Volatile.Read(ref _restingUntil[i]) <= now ? 1 : 0;
            return available;
        }
    }

    /// <summary>The next key to use, or null when the pool is empty.</summary>
    public string? Next()
    {
        if (_keys.Length == 0) return null;
        if (_keys.Length == 1) return _keys[0];
        var now = _time.GetTimestamp();
        var start = Interlocked.Increment(ref _next);
        var soonest = 0;
        for (var i = 0; i < _keys.Length; i++)
        {
            var index = (int)((uint)(start + i) % (uint)_keys.Length);
            var until = Volatile.Read(ref _restingUntil[index]);
            if (until <= now) return _keys[index];
            if (until < Volatile.Read(ref _restingUntil[soonest])) soonest = index;
        }
        return _keys[soonest];
    }

    /// <summary>Keeps <paramref name="key"/> out of turn for <paramref name="duration"/>.</summary>
    public void Rest(string key, TimeSpan duration)
    {
        var index = Array.IndexOf(_keys, key);
        if (index < 0) return;
        var until = _time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency);
        Volatile.Write(ref _restingUntil[index], until);
    }

    /// <summary>The text with every key of this pool replaced by <c>***</c>: provider messages sometimes echo the key.</summary>
    public string Redact(string text)
    {
        foreach (var key in _keys)
        {
            if (key.Length >= 8) text = text.Replace(key, "***", StringComparison.Ordinal);
        }
        return text;
    }
}
