using Switchboard.Providers;

namespace Switchboard.Execution;

/// <summary>
/// An upstream call that answered: the response with its body still to read, how many calls it took,
/// and the deadline the body must be read within.
/// </summary>
public sealed class UpstreamResult : IDisposable
{
    private readonly CancellationTokenSource _deadline;
    private readonly int _attempts;
    private Action? _onDispose;

    internal UpstreamResult(ModelResolution target, UpstreamResponse response, int attempts, TimeSpan upstreamTime, CancellationTokenSource deadline)
    {
        Target = target;
        Response = response;
        _attempts = attempts;
        UpstreamTime = upstreamTime;
        _deadline = deadline;
    }

    public ModelResolution Target { get; }

    public UpstreamResponse Response { get; }

    /// <summary>Upstream calls made, the answered one included.</summary>
    public int Attempts => Log?.Count ?? _attempts;

    /// <summary>Every call the request made, across retries and fallbacks, when it went through the router.</summary>
    public AttemptLog? Log { get; internal set; }

    /// <summary>Run once when the answer is done with: the deployment counts it out of its calls in flight.</summary>
    internal Action? OnDispose
    {
        get => _onDispose;
        set => _onDispose = value;
    }

    /// <summary>Time spent waiting on the provider until its headers arrived.</summary>
    public TimeSpan UpstreamTime { get; }

    /// <summary>Cancelled when the timeout passes or the caller gives up; read the body with it.</summary>
    public CancellationToken Token => _deadline.Token;

    /// <summary>True when the timeout, not the caller, ended the call.</summary>
    internal bool TimedOut { get; set; }

    /// <summary>A stream is bounded by the timeout until it starts; after that it runs as long as the provider sends.</summary>
    public void ClearDeadline() => _deadline.CancelAfter(Timeout.InfiniteTimeSpan);

    public void Dispose()
    {
        Response.Dispose();
        _deadline.Dispose();
        Interlocked.Exchange(ref _onDispose, null)?.Invoke();
    }
}
