namespace Switchboard.Chat;

/// <summary>The steps every dialect's stream is translated into and out of.</summary>
public enum StreamEventKind
{
    /// <summary>The answer begins: <see cref="StreamEvent.Id"/> is the response id, <see cref="StreamEvent.Name"/> the model.</summary>
    Start,

    /// <summary>Visible text: <see cref="StreamEvent.Text"/>.</summary>
    TextDelta,

    /// <summary>Thinking text, where the provider shows it: <see cref="StreamEvent.Text"/>.</summary>
    ReasoningDelta,

    /// <summary>A tool call begins: <see cref="StreamEvent.ToolIndex"/>, its <see cref="StreamEvent.Id"/> and function <see cref="StreamEvent.Name"/>.</summary>
    ToolCallStart,

    /// <summary>A piece of a tool call's JSON arguments: <see cref="StreamEvent.ToolIndex"/> and <see cref="StreamEvent.Text"/>.</summary>
    ToolCallArguments,

    /// <summary>Generation ended: <see cref="StreamEvent.FinishReason"/> (a <see cref="FinishReasons"/> value).</summary>
    Finish,

    /// <summary>Token counts: <see cref="StreamEvent.Usage"/>. May come more than once; the last one holds.</summary>
    Usage,
}
