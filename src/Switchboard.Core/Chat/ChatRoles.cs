namespace Switchboard.Chat;

/// <summary>The message roles of the chat completions wire format.</summary>
public static class ChatRoles
{
    public const string System = "system";
    public const string Developer = "developer";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";
    public const string Function = "function";

    /// <summary>Whether a role as written on the wire (UTF-8, unescaped) is one of these; no string is made per message.</summary>
    internal static bool IsKnown(ReadOnlySpan<byte> role) =>
        role.SequenceEqual("user"u8) || role.SequenceEqual("assistant"u8) || role.SequenceEqual("system"u8)
        || role.SequenceEqual("tool"u8) || role.SequenceEqual("developer"u8) || role.SequenceEqual("function"u8);
}
