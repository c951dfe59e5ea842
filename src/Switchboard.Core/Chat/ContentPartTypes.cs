namespace Switchboard.Chat;

/// <summary>The content part kinds Switchboard translates between dialects.</summary>
public static class ContentPartTypes
{
    public const string Text = "text";
    public const string ImageUrl = "image_url";
}
