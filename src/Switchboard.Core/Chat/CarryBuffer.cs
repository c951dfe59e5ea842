using System.Buffers;

namespace Switchboard.Chat;

/// <summary>
/// The unfinished end of a framed stream (a line, an event-stream message), kept in pooled memory across reads
/// until the rest arrives. Once the whole frame is handed out it stays valid until the next <see cref="Begin"/>.
/// Shared by every reader of framed streams.
/// </summary>
internal sealed class CarryBuffer : IDisposable
{
    private byte[] _bytes = [];
    private int _length;
    private bool _handedOut;

    /// <summary>Bytes of an unfinished frame held; zero once a whole frame has been handed out.</summary>
    public int Length => _handedOut ? 0 : _length;

    /// <summary>The bytes held so far.</summary>
    public ReadOnlySpan<byte> Held => _bytes.AsSpan(0, _length);

    /// <summary>Forgets a frame handed out by the previous read, so a new one can be gathered.</summary>
    public void Begin()
    {
        if (!_handedOut) return;
        _length = 0;
        _handedOut = false;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        var needed = _length + bytes.Length;
        if (needed > _bytes.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 1024));
            _bytes.AsSpan(0, _length).CopyTo(larger);
            if (_bytes.Length > 0) ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = larger;
        }
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length = needed;
    }

    /// <summary>The whole frame gathered, its first <paramref name="length"/> bytes; valid until the next <see cref="Begin"/>.</summary>
    public ReadOnlySpan<byte> HandOut(int length)
    {
        _handedOut = true;
        return _bytes.AsSpan(0, length);
    }

    public void Dispose()
    {
        if (_bytes.Length > 0) ArrayPool<byte>.Shared.Return(_bytes);
        _bytes = [];
        _length = 0;
    }
}
