namespace Switchboard.Chat;

/// <summary>Takes canonical stream events as a decoder produces them.</summary>
public interface IStreamEventSink
{
    void Write(in StreamEvent streamEvent);
}
