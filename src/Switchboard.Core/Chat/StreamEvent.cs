using Switchboard.Usage;

namespace Switchboard.Chat;

/// <summary>
/// One step of a streamed answer in canonical form. Its text fields are unescaped UTF-8 pointing into the
/// decoder's buffer, valid only during the call that receives the event: translating a stream allocates nothing
/// per chunk and parses nothing but that chunk.
/// </summary>
public readonly ref struct StreamEvent
{
    public StreamEventKind Kind { get; init; }

    /// <summary>Which tool call, for the tool events; counted from 0 in the order calls begin.</summary>
    public int ToolIndex { get; init; }

    public ReadOnlySpan<byte> Text { get; init; }

    public ReadOnlySpan<byte> Id { get; init; }

    public ReadOnlySpan<byte> Name { get; init; }

    public string? FinishReason { get; init; }

    public TokenUsage Usage { get; init; }
}
