using System.Text;
using Switchboard.Chat;

namespace Switchboard.Providers.Command;

/// <summary>
/// The conversation as the plain text a command-line program reads. System (and developer) messages come first,
/// separated by blank lines. A conversation of a single user message is then just its text, as a person would type
/// it; a longer one is a transcript of <c>User: ...</c> and <c>Assistant: ...</c> turns (tool calls as
/// <c>Assistant called name with {...}</c>, their results as <c>Tool name returned: ...</c>), turns separated by blank lines.
/// Programs have no tool protocol, so tool definitions are not sent; images cannot be passed as text and are refused.
/// </summary>
internal static class CommandPrompt
{
    public static string Render(ChatRequest request, string provider)
    {
        var prompt = new StringBuilder();
        var turns = new List<(int Index, ChatMessage Message)>();
        for (var i = 0; i < request.Messages.Count; i++)
        {
            var message = request.Messages[i];
            if (message.Role is ChatRoles.System or ChatRoles.Developer) Paragraph(prompt, TextOf(message, i, provider));
            else turns.Add((i, message));
        }

        if (turns is [{ Message.Role: ChatRoles.User } only])
        {
            Paragraph(prompt, TextOf(only.Message, only.Index, provider));
            return prompt.ToString();
        }
        // Calls come before their results, so the names are known by the time a result names its call's id.
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (index, message) in turns)
        {
            var text = TextOf(message, index, provider);
            switch (message.Role)
            {
                case ChatRoles.Assistant:
                    if (text.Length > 0) Paragraph(prompt, "Assistant: " + text);
                    foreach (var call in message.ToolCalls ?? [])
                    {
                        if (call.Function.Name is { } called) toolNames[call.Id] = called;
                        Paragraph(prompt, $"Assistant called {call.Function.Name} with {(string.IsNullOrWhiteSpace(call.Function.Arguments) ? "{}" : call.Function.Arguments)}");
                    }
                    break;
                case ChatRoles.Tool or ChatRoles.Function:
                    var name = message.Name ?? (message.ToolCallId is { } id ? toolNames.GetValueOrDefault(id) : null) ?? "result";
                    Paragraph(prompt, $"Tool {name} returned: {text}");
                    break;
                default:
                    Paragraph(prompt, "User: " + text);
                    break;
            }
        }
        return prompt.ToString();
    }

    private static void Paragraph(StringBuilder prompt, string text)
    {
        if (prompt.Length > 0) prompt.Append("\n\n");
        prompt.Append(text);
    }

    private static string TextOf(ChatMessage message, int index, string provider)
    {
        if (message.Content?.Parts is { } parts)
        {
            for (var j = 0; j < parts.Count; j++)
            {
                if (parts[j].Type != ContentPartTypes.Text)
                    throw SwitchboardException.BadRequest(
                        $"messages[{index}].content[{j}] is a '{parts[j].Type}' part, but the command provider {provider} passes its program text only.", "messages");
            }
        }
        return message.Content?.AllText() ?? "";
    }
}
