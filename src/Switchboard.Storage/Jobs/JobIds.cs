using System.Security.Cryptography;

namespace Switchboard.Storage.Jobs;

/// <summary>
/// Ids of jobs and batches: a prefix, then 26 Crockford base32 characters, 10 of the time in milliseconds and 16
/// random (80 bits), as a ULID: they sort by creation time and never collide across processes.
/// </summary>
public static class JobIds
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new job id, <c>job_...</c>.</summary>
    public static string NewJobId(DateTimeOffset now) => "job_" + Ulid(now);

    /// <summary>A new batch id, <c>batch_...</c>.</summary>
    public static string NewBatchId(DateTimeOffset now) => "batch_" + Ulid(now);

    private static string Ulid(DateTimeOffset now)
    {
        Span<char> text = stackalloc char[26];
        var time = now.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--, time >>= 5) text[i] = Crockford[(int)(time & 31)];
        RandomNumberGenerator.GetItems(Crockford, text[10..]);
        return new string(text);
    }
}
