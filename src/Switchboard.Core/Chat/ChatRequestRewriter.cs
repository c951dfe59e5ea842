using System.Buffers;
using System.Text;

namespace Switchboard.Chat;

/// <summary>
/// Writes a scanned request body with the edits applied. Properties that are not edited are copied as
/// they were, with the bytes between them, so fields Switchboard does not model are never dropped.
/// </summary>
internal static class ChatRequestRewriter
{
    private static readonly byte[] ModelName = "model"u8.ToArray();

    public static void Write(ReadOnlySpan<byte> body, ChatRequestEnvelope envelope, RequestBodyEdits edits, IBufferWriter<byte> output)
    {
        // The scanner guarantees at least "model" and "messages", so there is a first and a last property.
        var properties = envelope.Properties;
        output.Write(body[..properties[0].Start]);

        var previous = -1;
        var written = 0;
        for (var i = 0; i < properties.Count; i++)
        {
            var property = properties[i];
            var name = body.Slice(property.NameStart, property.NameLength);
            if (Contains(edits.Removed, name)) continue;

            if (written > 0)
            {
                // Keep the original separator (and its whitespace) when the neighbour was kept too.
                if (previous == i - 1) output.Write(body[properties[previous].End..property.Start]);
                else output.Write(","u8);
            }

            if (name.SequenceEqual(ModelName))
            {
                output.Write(body[property.Start..property.ValueStart]);
                output.Write(edits.EncodedModel);
            }
            else if (ReplacedBy(edits.Replaced, name) is { } json)
            {
                output.Write(body[property.Start..property.ValueStart]);
                output.Write(json);
            }
            else if (RenamedTo(edits.Renamed, name) is { } newName)
            {
                WriteName(output, newName);
                output.Write(body[property.ValueStart..property.End]);
            }
            else
            {
                output.Write(body[property.Start..property.End]);
            }
            previous = i;
            written++;
        }

        foreach (var (name, json) in edits.Added)
        {
            if (envelope.IndexOf(body, Encoding.UTF8.GetBytes(name)) >= 0) continue;
            if (written++ > 0) output.Write(","u8);
            WriteName(output, name);
            output.Write(json);
        }

        output.Write(body[properties[^1].End..]);
    }

    private static bool Contains(List<string> names, ReadOnlySpan<byte> name)
    {
        foreach (var candidate in names)
        {
            if (Utf8Equals(candidate, name)) return true;
        }
        return false;
    }

    private static string? RenamedTo(List<(string From, string To)> renames, ReadOnlySpan<byte> name)
    {
        foreach (var (from, to) in renames)
        {
            if (Utf8Equals(from, name)) return to;
        }
        return null;
    }

    private static byte[]? ReplacedBy(List<(string Name, byte[] Json)> replacements, ReadOnlySpan<byte> name)
    {
        foreach (var (candidate, json) in replacements)
        {
            if (Utf8Equals(candidate, name)) return json;
        }
        return null;
    }

    private static bool Utf8Equals(string text, ReadOnlySpan<byte> utf8)
    {
        // Parameter names are ASCII, so a byte-per-char comparison is exact and allocation-free.
        if (text.Length != utf8.Length) return false;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (text[i] != utf8[i]) return false;
        }
        return true;
    }

    private static void WriteName(IBufferWriter<byte> output, string name)
    {
        output.Write("\""u8);
        output.Write(Encoding.UTF8.GetBytes(name));
        output.Write("\":"u8);
    }
}
