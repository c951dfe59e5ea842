namespace Switchboard.Chat;

/// <summary>Writes canonical stream events in a client's dialect, as they come.</summary>
public interface IStreamEncoder : IStreamEventSink, IDisposable
{
    /// <summary>Writes the dialect's ending (<c>data: [DONE]</c>, <c>message_stop</c>) after the last event.</summary>
    void Complete();

    /// <summary>Bytes written so far; zero means the client has seen nothing and can still get a whole error response.</summary>
    long Written { get; }
}
