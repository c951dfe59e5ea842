namespace Switchboard.Providers.Command;

/// <summary>
/// A streamed command answer as a read-only stream, so the gateway reads it like any provider's body: the program's
/// stdout as it writes it (the first read, taken before the call returned, comes first), then, when it has exited
/// cleanly, the <see cref="CommandTrailer"/>. When it fails or runs past its timeout the read that reaches the end throws
/// the classified <see cref="SwitchboardException"/> instead; when the reader gives up, the program is killed.
/// Disposing it ends the run.
/// </summary>
internal sealed class CommandOutputStream : Stream
{
    private readonly CommandRun _run;
    private readonly byte[] _trailer;
    private ReadOnlyMemory<byte> _pending;
    private bool _stdoutEnded;
    private bool _trailerSent;

    public CommandOutputStream(CommandRun run, ReadOnlyMemory<byte> first, byte[] trailer)
    {
        _run = run;
        _pending = first;
        _trailer = trailer;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (!_pending.IsEmpty)
            {
                var count = Math.Min(buffer.Length, _pending.Length);
                _pending[..count].CopyTo(buffer);
                _pending = _pending[count..];
                return count;
            }
            if (_stdoutEnded)
            {
                if (_trailerSent) return 0;
                _trailerSent = true;
                _pending = _trailer;
                continue;
            }
            var read = await _run.Stdout.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                read = CommandTrailer.RemoveMarkers(buffer.Span[..read]);
                if (read > 0) return read;
                continue;
            }
            _stdoutEnded = true;
            if (await _run.FinishAsync(cancellationToken) is { } failure) throw failure;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _run.Dispose();
        base.Dispose(disposing);
    }
}
