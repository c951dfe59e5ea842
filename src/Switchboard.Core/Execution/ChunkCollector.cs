using System.Text;
using Switchboard.Chat;

namespace Switchboard.Execution;

/// <summary>
/// Turns canonical stream events back into <see cref="ChatChunk"/> objects for in-process callers. This path
/// allocates per chunk on purpose: it serves the library and the CLI, not the gateway's relay.
/// </summary>
internal sealed class ChunkCollector(long created) : IStreamEventSink
{
    private string _id = "chatcmpl-switchboard";
    private string _model = "";

    public List<ChatChunk> Chunks { get; } = [];

    public void Write(in StreamEvent streamEvent)
    {
        switch (streamEvent.Kind)
        {
            case StreamEventKind.Start:
                if (!streamEvent.Id.IsEmpty) _id = Encoding.UTF8.GetString(streamEvent.Id);
                if (!streamEvent.Name.IsEmpty) _model = Encoding.UTF8.GetString(streamEvent.Name);
                Add(new ChatDelta { Role = ChatRoles.Assistant, Content = "" });
                break;
            case StreamEventKind.TextDelta:
                Add(new ChatDelta { Content = Encoding.UTF8.GetString(streamEvent.Text) });
                break;
            case StreamEventKind.ReasoningDelta:
                Add(new ChatDelta { AdditionalProperties = new() { ["reasoning_content"] = System.Text.Json.JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(streamEvent.Text), ChatJsonContext.Default.String) } });
                break;
            case StreamEventKind.ToolCallStart:
                Add(new ChatDelta
                {
                    ToolCalls = [new ToolCallDelta { Index = streamEvent.ToolIndex, Id = Encoding.UTF8.GetString(streamEvent.Id), Type = "function", Function = new FunctionCall { Name = Encoding.UTF8.GetString(streamEvent.Name), Arguments = "" } }],
                });
                break;
            case StreamEventKind.ToolCallArguments:
                Add(new ChatDelta { ToolCalls = [new ToolCallDelta { Index = streamEvent.ToolIndex, Function = new FunctionCall { Arguments = Encoding.UTF8.GetString(streamEvent.Text) } }] });
                break;
            case StreamEventKind.Finish:
                Chunks.Add(Chunk([new ChunkChoice { Delta = new ChatDelta(), FinishReason = streamEvent.FinishReason }]));
                break;
            case StreamEventKind.Usage:
                Chunks.Add(Chunk([]) with { Usage = Usage.ChatUsageMapping.FromTokenUsage(streamEvent.Usage) });
                break;
        }
    }

    private void Add(ChatDelta delta) => Chunks.Add(Chunk([new ChunkChoice { Delta = delta }]));

    private ChatChunk Chunk(List<ChunkChoice> choices) => new() { Id = _id, Model = _model, Created = created, Choices = choices };
}
