using System.Text;

namespace Switchboard.Routing;

/// <summary>
/// FNV-1a over UTF-8: the same id lands in the same bucket in every process and after every restart, which
/// <see cref="string.GetHashCode()"/> (randomised per process) does not give.
/// </summary>
internal static class StableHash
{
    public static uint Of(string text)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
        return hash;
    }

    /// <summary>A bucket from 0 (inclusive) to 100 (exclusive), in steps of 0.01.</summary>
    public static double Percent(string text) => Of(text) % 10000 / 100.0;
}
