using System.Text.Json.Serialization;

namespace Switchboard.Chat;

/// <summary>
/// A message's content: either a plain string or a list of parts (text, images, ...).
/// It is written back in the form it was read.
/// </summary>
[JsonConverter(typeof(ChatContentConverter))]
public sealed record ChatContent
{
    private ChatContent(string? text, List<ContentPart>? parts) => (Text, Parts) = (text, parts);

    /// <summary>The content when it was given as one string.</summary>
    public string? Text { get; }

    /// <summary>The content when it was given as parts.</summary>
    public List<ContentPart>? Parts { get; }

    public static ChatContent FromText(string text) => new(text, null);

    public static ChatContent FromParts(List<ContentPart> parts) => new(null, parts);

    /// <summary>All text of the content, parts joined by newlines; images are left out.</summary>
    public string AllText()
    {
        if (Text is not null || Parts is null) return Text ?? "";
        return string.Join('\n', Parts.Where(p => p.Text is not null).Select(p => p.Text));
    }
}
