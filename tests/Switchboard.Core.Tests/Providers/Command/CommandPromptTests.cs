using System.Buffers;
using System.Text;
using Shouldly;
using Switchboard.Chat;
using Switchboard.Configuration;
using Switchboard.Providers.Command;
using Xunit;

namespace Switchboard.Core.Tests.Providers.Command;

/// <summary>The conversation as the plain text a program gets.</summary>
public sealed class CommandPromptTests
{
    [Fact]
    public void A_single_question_is_just_its_text()
    {
        Render(ChatMessage.User("Why is the sky blue?")).ShouldBe("Why is the sky blue?");
    }

    [Fact]
    public void System_messages_come_first_then_the_question()
    {
        Render(ChatMessage.User("Why is the sky blue?"), ChatMessage.System("Answer in one line."), new ChatMessage { Role = ChatRoles.Developer, Content = ChatContent.FromText("No jokes.") })
            .ShouldBe("Answer in one line.\n\nNo jokes.\n\nWhy is the sky blue?");
    }

    [Fact]
    public void A_conversation_is_a_transcript_of_turns()
    {
        Render(
            ChatMessage.System("Be brief."),
            ChatMessage.User("What is the weather in Toronto?"),
            new ChatMessage
            {
                Role = ChatRoles.Assistant,
                ToolCalls = [new ToolCall { Id = "call_1", Function = new FunctionCall { Name = "get_weather", Arguments = """{"city":"Toronto"}""" } }],
            },
            new ChatMessage { Role = ChatRoles.Tool, ToolCallId = "call_1", Content = ChatContent.FromText("11 degrees celsius") },
            ChatMessage.Assistant("It is 11°C."),
            ChatMessage.User("And tomorrow?"))
            .ShouldBe("""
                Be brief.

                User: What is the weather in Toronto?

                Assistant called get_weather with {"city":"Toronto"}

                Tool get_weather returned: 11 degrees celsius

                Assistant: It is 11°C.

                User: And tomorrow?
                """.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Text_parts_are_joined_and_an_image_is_refused()
    {
        Render(new ChatMessage { Role = ChatRoles.User, Content = ChatContent.FromParts([ContentPart.FromText("one"), ContentPart.FromText("two")]) })
            .ShouldBe("one\ntwo");

        var error = Should.Throw<SwitchboardException>(() =>
            Render(new ChatMessage { Role = ChatRoles.User, Content = ChatContent.FromParts([ContentPart.FromText("see"), ContentPart.FromImage("data:image/png;base64,AAAA")]) }));
        error.Category.ShouldBe(ErrorCategory.BadRequest);
        error.Message.ShouldBe("messages[0].content[1] is a 'image_url' part, but the command provider cli passes its program text only.");
    }

    private static string Render(params ChatMessage[] messages)
    {
        var adapter = new CommandAdapter(new ProviderOptions { Name = "cli", Type = "command", Command = ["true"] });
        var output = new ArrayBufferWriter<byte>();
        adapter.WriteRequest(new ChatRequest { Model = "m", Messages = [.. messages] }, "m", stream: false, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
