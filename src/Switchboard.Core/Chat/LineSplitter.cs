namespace Switchboard.Chat;

/// <summary>
/// Splits a byte stream into lines as reads arrive. A line that ends in the current read is returned as a slice
/// of it; one split across reads is kept and returned whole once its newline comes. Shared by every
/// line-framed stream (server-sent events, NDJSON, a command's output).
/// </summary>
internal sealed class LineSplitter : IDisposable
{
    private readonly CarryBuffer _carry = new();

    /// <summary>Bytes of an unfinished line still held.</summary>
    public int Pending => _carry.Length;

    /// <summary>The next whole line of <paramref name="bytes"/> (newline included), advancing past it; false once no whole line is left.</summary>
    public bool TryRead(ref ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> line)
    {
        _carry.Begin();
        var newline = bytes.IndexOf((byte)'\n');
        if (newline < 0)
        {
            _carry.Append(bytes);
            bytes = default;
            line = default;
            return false;
        }
        if (_carry.Length > 0)
        {
            _carry.Append(bytes[..(newline + 1)]);
            line = _carry.HandOut(_carry.Length);
        }
        else
        {
            line = bytes[..(newline + 1)];
        }
        bytes = bytes[(newline + 1)..];
        return true;
    }

    public void Dispose() => _carry.Dispose();
}
