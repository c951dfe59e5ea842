namespace Switchboard.Testing;

/// <summary>
/// Holds one streamed response after its first chunk until <see cref="Release"/> is called, so a test can
/// see that chunk arrive through the gateway while the upstream is still mid-stream: proof that the
/// gateway streams rather than buffers. Obtain one from a fake's <c>HoldStream()</c>.
/// </summary>
public sealed class StreamGate
{
    private readonly TaskCompletionSource _firstChunkSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal StreamGate()
    {
    }

    /// <summary>Completes once the held response's first chunk has been flushed to the client.</summary>
    public Task FirstChunkSent => _firstChunkSent.Task;

    /// <summary>Whether <see cref="Release"/> has been called.</summary>
    public bool IsReleased => _released.Task.IsCompleted;

    /// <summary>Lets the held response send the rest of its stream. Calling it again does nothing.</summary>
    public void Release() => _released.TrySetResult();

    internal void MarkFirstChunkSent() => _firstChunkSent.TrySetResult();

    internal Task WaitAsync(CancellationToken cancellationToken) => _released.Task.WaitAsync(cancellationToken);
}
