using System.Text;
using Switchboard.Chat;

namespace Switchboard.Core.Tests.Providers;

/// <summary>A sink that keeps every event a decoder writes, copied out of its spans, for assertions; shared by every provider's tests.</summary>
internal sealed class RecordingSink : IStreamEventSink
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

    /// <summary>The events with consecutive deltas of the same kind (and tool) merged, and only the last usage kept: what a stream says, however it was split.</summary>
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

    /// <summary>The text of every event of <paramref name="kind"/>, in order, joined.</summary>
    public string Text(StreamEventKind kind = StreamEventKind.TextDelta) =>
        string.Concat(Events.Where(e => e.Kind == kind).Select(e => e.Text));

    /// <summary>A tool call's argument fragments joined.</summary>
    public string Arguments(int tool) =>
        string.Concat(Events.Where(e => e.Kind == StreamEventKind.ToolCallArguments && e.ToolIndex == tool).Select(e => e.Text));
}
