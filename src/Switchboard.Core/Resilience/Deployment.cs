using Polly;
using Polly.CircuitBreaker;

namespace Switchboard.Resilience;

/// <summary>
/// One model at one provider, as the router and the resilience pipeline see it: its circuit, the calls in
/// flight, and a moving average of its time to first byte.
/// </summary>
public sealed class Deployment
{
    /// <summary>The weight of the newest sample in the moving average: about the last ten calls count.</summary>
    private const double Smoothing = 0.2;

    private readonly CircuitBreakerStateProvider _circuit;
    private readonly object _gate = new();
    private int _inFlight;
    private double _firstByteMs = double.NaN;

    internal Deployment(string provider, string model, ResiliencePipeline pipeline, CircuitBreakerStateProvider circuit)
    {
        Provider = provider;
        Model = model;
        Pipeline = pipeline;
        _circuit = circuit;
    }

    public string Provider { get; }

    public string Model { get; }

    public string Name => Provider + "/" + Model;

    internal ResiliencePipeline Pipeline { get; }

    /// <summary><c>closed</c> (calls go through), <c>open</c> (calls are skipped), <c>half-open</c> (one trial call may go) or <c>isolated</c>.</summary>
    public string Circuit => _circuit.CircuitState switch
    {
        CircuitState.Closed => "closed",
        CircuitState.Open => "open",
        CircuitState.HalfOpen => "half-open",
        _ => "isolated",
    };

    /// <summary>True when a call now would be refused without reaching the provider.</summary>
    public bool IsOpen => _circuit.CircuitState is CircuitState.Open or CircuitState.Isolated;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The moving average of time to first byte, or null before the first call answered.</summary>
    public double? FirstByteMilliseconds
    {
        get
        {
            lock (_gate) return double.IsNaN(_firstByteMs) ? null : _firstByteMs;
        }
    }

    internal void Started() => Interlocked.Increment(ref _inFlight);

    internal void Finished() => Interlocked.Decrement(ref _inFlight);

    internal void RecordFirstByte(TimeSpan time)
    {
        lock (_gate) _firstByteMs = double.IsNaN(_firstByteMs) ? time.TotalMilliseconds : _firstByteMs + Smoothing * (time.TotalMilliseconds - _firstByteMs);
    }
}
