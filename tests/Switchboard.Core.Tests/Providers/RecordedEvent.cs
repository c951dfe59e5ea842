using Switchboard.Chat;
using Switchboard.Usage;

namespace Switchboard.Core.Tests.Providers;

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
