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

    internal static bool IsKnown(string role) =>
        role is System or Developer or User or Assistant or Tool or Function;
}
