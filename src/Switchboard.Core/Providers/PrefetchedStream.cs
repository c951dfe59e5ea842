using System.Buffers;

namespace Switchboard.Providers;

/// <summary>
/// A body whose first bytes were read early (a stream's first chunk, read to know it started before committing to
/// it), then the rest of the body. The early bytes are in a pooled buffer, returned once read or disposed.
/// </summary>
internal sealed class PrefetchedStream(byte[] pooled, int length, Stream rest) : Stream
{
    private byte[]? _buffer = pooled;
    private int _offset;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> destination)
    {
        if (_buffer is null) return rest.Read(destination);
        return Take(destination);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default) =>
        _buffer is null ? rest.ReadAsync(destination, cancellationToken) : new(Take(destination.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Take(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, length - _offset);
        _buffer.AsSpan(_offset, count).CopyTo(destination);
        _offset += count;
        if (_offset == length) Release();
        return count;
    }

    private void Release()
    {
        if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
    }

    protected override void Dispose(bool disposing)
    {
        Release();
        if (disposing) rest.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
