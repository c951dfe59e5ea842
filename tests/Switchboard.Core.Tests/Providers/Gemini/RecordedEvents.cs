using System.Text;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Providers.Gemini;

/// <summary>One canonical stream event with its spans copied out, so it can be compared after the call.</summary>
internal sealed record RecordedEvent(StreamEventKind Kind, int ToolIndex = 0, string Text = "", string Id = "", string Name = "", string? FinishReason = null, TokenUsage Usage = default)
{
    public override string ToString() => Kind switch
    {
        StreamEventKind.Start => $"Start({Id}, {Name})",
        StreamEventKind.TextDelta or StreamEventKind.ReasoningDelta => $"{Kind}({Text})",
        StreamEventKind.ToolCallStart => $"ToolCallStart({ToolIndex}, {Id}, {Name})",
        StreamEventKind.ToolCallArguments => $"ToolCallArguments({ToolIndex}, {Text})",
        StreamEventKind.Finish => $"Finish({FinishReason})",
        _ => $"Usage({Usage})",
    };
}

/// <summary>A sink that keeps every event it is given, for assertions.</summary>
internal sealed class RecordedEvents : IStreamEventSink
{
    public List<RecordedEvent> Events { get; } = [];

    public void Write(in StreamEvent streamEvent) => Events.Add(new RecordedEvent(
        streamEvent.Kind,
        streamEvent.ToolIndex,
        Encoding.UTF8.GetString(streamEvent.Text),
        Encoding.UTF8.GetString(streamEvent.Id),
        Encoding.UTF8.GetString(streamEvent.Name),
        streamEvent.FinishReason,
        streamEvent.Usage));

    /// <summary>The text of every event of <paramref name="kind"/>, in order, joined.</summary>
    public string Joined(StreamEventKind kind) => string.Concat(Events.Where(e => e.Kind == kind).Select(e => e.Text));
}
