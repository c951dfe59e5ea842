using System.Text;
using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Providers.Bedrock;

/// <summary>Keeps copies of the canonical events a decoder writes, since the events' spans live only during the call.</summary>
internal sealed class RecordingSink : IStreamEventSink
{
    public List<Recorded> Events { get; } = [];

    public void Write(in StreamEvent streamEvent) => Events.Add(new Recorded(
        streamEvent.Kind,
        streamEvent.ToolIndex,
        Encoding.UTF8.GetString(streamEvent.Text),
        Encoding.UTF8.GetString(streamEvent.Id),
        Encoding.UTF8.GetString(streamEvent.Name),
        streamEvent.FinishReason,
        streamEvent.Kind == StreamEventKind.Usage ? streamEvent.Usage : null));

    /// <summary>The text deltas joined.</summary>
    public string Text => string.Concat(Events.Where(e => e.Kind == StreamEventKind.TextDelta).Select(e => e.Text));

    /// <summary>The reasoning deltas joined.</summary>
    public string Reasoning => string.Concat(Events.Where(e => e.Kind == StreamEventKind.ReasoningDelta).Select(e => e.Text));

    /// <summary>A tool call's argument fragments joined.</summary>
    public string Arguments(int toolIndex) =>
        string.Concat(Events.Where(e => e.Kind == StreamEventKind.ToolCallArguments && e.ToolIndex == toolIndex).Select(e => e.Text));

    public sealed record Recorded(StreamEventKind Kind, int ToolIndex, string Text, string Id, string Name, string? FinishReason, TokenUsage? Usage);
}
