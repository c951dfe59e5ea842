using System.Text;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Providers.Anthropic;

/// <summary>One canonical stream event with its spans copied out, so it can be compared after the call.</summary>
internal sealed record RecordedEvent(StreamEventKind Kind, int ToolIndex = 0, string Text = "", string Id = "", string Name = "", string? FinishReason = null, TokenUsage Usage = default)
{
    public override string ToString() => Kind switch
    {
        StreamEventKind.Start => $"Start({Id}, {Name})",
        StreamEventKind.TextDelta => $"Text({Text})",
        StreamEventKind.ReasoningDelta => $"Reasoning({Text})",
        StreamEventKind.ToolCallStart => $"ToolStart({ToolIndex}, {Id}, {Name})",
        StreamEventKind.ToolCallArguments => $"ToolArguments({ToolIndex}, {Text})",
        StreamEventKind.Finish => $"Finish({FinishReason})",
        _ => $"Usage({Usage})",
    };
}

/// <summary>A sink that keeps every event it is given, and joins neighbouring text deltas for comparisons that do not care how text was split.</summary>
internal sealed class EventRecorder : IStreamEventSink
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

    /// <summary>The events with consecutive deltas of the same kind (and tool) merged, and only the last usage kept.</summary>
    public List<RecordedEvent> Merged()
    {
        var merged = new List<RecordedEvent>();
        foreach (var e in Events)
        {
            if (merged.Count > 0 && merged[^1] is var last && last.Kind == e.Kind && last.ToolIndex == e.ToolIndex
                && e.Kind is StreamEventKind.TextDelta or StreamEventKind.ReasoningDelta or StreamEventKind.ToolCallArguments)
            {
                merged[^1] = last with { Text = last.Text + e.Text };
                continue;
            }
            merged.Add(e);
        }
        var lastUsage = merged.FindLastIndex(e => e.Kind == StreamEventKind.Usage);
        merged.RemoveAll(e => e.Kind == StreamEventKind.Usage && !ReferenceEquals(e, merged[lastUsage]));
        return merged;
    }

    public string Text(StreamEventKind kind = StreamEventKind.TextDelta) =>
        string.Concat(Events.Where(e => e.Kind == kind).Select(e => e.Text));

    public string Arguments(int tool) =>
        string.Concat(Events.Where(e => e.Kind == StreamEventKind.ToolCallArguments && e.ToolIndex == tool).Select(e => e.Text));
}
