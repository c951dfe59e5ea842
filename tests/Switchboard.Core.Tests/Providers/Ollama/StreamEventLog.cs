using System.Text;
using Switchboard.Chat;

namespace Switchboard.Core.Tests.Providers;

/// <summary>
/// Writes each canonical event down as one short line (<c>Text(Hello)</c>, <c>Finish(stop)</c>, ...), copying its spans
/// while they are valid, so a whole stream can be compared with one list. Consecutive text of the same kind is merged,
/// so a stream decoded in pieces of any size reads the same.
/// </summary>
internal sealed class StreamEventLog : IStreamEventSink
{
    public List<string> Lines { get; } = [];

    /// <summary>Ids of the tool calls, in the order they started.</summary>
    public List<string> ToolCallIds { get; } = [];

    public string Text => string.Concat(Lines.Where(l => l.StartsWith("Text(", StringComparison.Ordinal)).Select(l => l[5..^1]));

    public void Write(in StreamEvent streamEvent)
    {
        var text = Encoding.UTF8.GetString(streamEvent.Text);
        switch (streamEvent.Kind)
        {
            case StreamEventKind.Start:
                Lines.Add($"Start({Encoding.UTF8.GetString(streamEvent.Name)})");
                break;
            case StreamEventKind.TextDelta:
                Merge("Text", text);
                break;
            case StreamEventKind.ReasoningDelta:
                Merge("Reasoning", text);
                break;
            case StreamEventKind.ToolCallStart:
                ToolCallIds.Add(Encoding.UTF8.GetString(streamEvent.Id));
                Lines.Add($"ToolCallStart({streamEvent.ToolIndex}, {Encoding.UTF8.GetString(streamEvent.Name)})");
                break;
            case StreamEventKind.ToolCallArguments:
                Lines.Add($"ToolCallArguments({streamEvent.ToolIndex}, {text})");
                break;
            case StreamEventKind.Finish:
                Lines.Add($"Finish({streamEvent.FinishReason})");
                break;
            case StreamEventKind.Usage:
                Lines.Add($"Usage({streamEvent.Usage.Input}, {streamEvent.Usage.Output})");
                break;
        }
    }

    private void Merge(string kind, string text)
    {
        if (Lines.Count > 0 && Lines[^1].StartsWith(kind + "(", StringComparison.Ordinal))
            Lines[^1] = Lines[^1][..^1] + text + ")";
        else
            Lines.Add($"{kind}({text})");
    }
}
