using System.Buffers;

namespace Switchboard.Chat;

/// <summary>
/// Splits a byte stream into lines as reads arrive. A line that ends in the current read is returned as a slice
/// of it; one split across reads is kept and returned whole once its newline comes. Shared by every
/// line-framed stream (server-sent events, NDJSON, a command's output).
/// </summary>
internal sealed class LineSplitter : IDisposable
{
    private byte[] _carry = [];
    private int _carryLength;
    private bool _carryReturned;

    /// <summary>The next whole line of <paramref name="bytes"/> (newline included), advancing past it; false once no whole line is left.</summary>
    public bool TryRead(ref ReadOnlySpan<byte> bytes, out ReadOnlySpan<byte> line)
    {
        if (_carryReturned)
        {
            _carryLength = 0;
            _carryReturned = false;
        }
        var newline = bytes.IndexOf((byte)'\n');
        if (newline < 0)
        {
            Append(bytes);
            bytes = default;
            line = default;
            return false;
        }
        if (_carryLength > 0)
        {
            Append(bytes[..(newline + 1)]);
            line = _carry.AsSpan(0, _carryLength);
            _carryReturned = true;
        }
        else
        {
            line = bytes[..(newline + 1)];
        }
        bytes = bytes[(newline + 1)..];
        return true;
    }

    /// <summary>Bytes of an unfinished line still held.</summary>
    public int Pending => _carryReturned ? 0 : _carryLength;

    public void Dispose()
    {
        if (_carry.Length > 0) ArrayPool<byte>.Shared.Return(_carry);
        _carry = [];
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        var needed = _carryLength + bytes.Length;
        if (needed > _carry.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            _carry.AsSpan(0, _carryLength).CopyTo(larger);
            if (_carry.Length > 0) ArrayPool<byte>.Shared.Return(_carry);
            _carry = larger;
        }
        bytes.CopyTo(_carry.AsSpan(_carryLength));
        _carryLength = needed;
    }
}
