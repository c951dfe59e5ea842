using System.Buffers.Text;

namespace Switchboard.Routing;

/// <summary>
/// What a message's text shows about the task, gathered by a hand-written scan of the JSON string's bytes as sent
/// (no copy, no regex): code fences, code punctuation, numbered list items and the <see cref="PromptTerms"/> found.
/// </summary>
/// <remarks>
/// Matching is ASCII case-insensitive at the start of a word. Escapes are read for what they stand for (<c>\n</c>
/// starts a line, <c>\u0060</c> is a backtick), but terms are compared in place, so one spelled with an escaped
/// letter is missed, which no encoder does.
/// </remarks>
internal struct TextSignals
{
    /// <summary>Bytes of text seen, as sent (escapes included).</summary>
    public int TextBytes;

    /// <summary>Code fences: <c>```</c> seen anywhere, opening or closing.</summary>
    public int Fences;

    /// <summary>Bytes that are mostly code: <c>{ } ; = ( ) [ ] &lt; &gt;</c>.</summary>
    public int CodeSymbols;

    /// <summary>Lines that start with a number and <c>.</c> or <c>)</c>, as <c>1. Parse</c> or <c>2) Store</c>.</summary>
    public int ListItems;

    /// <summary>One bit per <see cref="PromptTerms"/> concept found.</summary>
    public ulong Terms;

    /// <summary>Fenced blocks, counting an unclosed fence as one.</summary>
    public readonly int CodeBlocks => (Fences + 1) / 2;

    public void Add(ReadOnlySpan<byte> raw)
    {
        TextBytes += raw.Length;
        var wordStart = true;
        var lineStart = true;
        var backticks = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var start = i;
            var b = raw[i];
            if (b == '\\' && i + 1 < raw.Length) b = Unescape(raw, ref i);
            // Terms and list numbers are read in place, so only where the text is not escaped (letters and digits never are).
            var plain = start == i;
            if (b != '`') backticks = 0;
            if (IsLetter(b))
            {
                if (wordStart && plain) Terms |= PromptTerms.Match(raw[i..]);
                // Nothing else starts inside a word, so its other letters need no look.
                while (i + 1 < raw.Length && IsWordByte(raw[i + 1])) i++;
                wordStart = lineStart = false;
                continue;
            }
            if (b >= 0x80 || (uint)(b - '0') <= 9)
            {
                if (lineStart && plain && IsListItem(raw[i..])) ListItems++;
                wordStart = lineStart = false;
                continue;
            }
            wordStart = true;
            switch (b)
            {
                case (byte)' ' or (byte)'\t':
                    break;
                case (byte)'\n' or (byte)'\r':
                    lineStart = true;
                    break;
                case (byte)'`':
                    if (++backticks == 3)
                    {
                        Fences++;
                        backticks = 0;
                    }
                    lineStart = false;
                    break;
                case (byte)'{' or (byte)'}' or (byte)';' or (byte)'=' or (byte)'(' or (byte)')' or (byte)'[' or (byte)']' or (byte)'<' or (byte)'>':
                    CodeSymbols++;
                    lineStart = false;
                    break;
                default:
                    lineStart = false;
                    break;
            }
        }
    }

    /// <summary>
    /// The character of the escape at <paramref name="i"/>, which is left on the escape's last byte. <c>\uXXXX</c> is
    /// read because some encoders (System.Text.Json's default) send <c>`</c>, <c>&lt;</c> and <c>&gt;</c> that way; a
    /// character beyond ASCII comes back as 0x80, a letter of some other script.
    /// </summary>
    private static byte Unescape(ReadOnlySpan<byte> raw, ref int i)
    {
        var escaped = raw[++i];
        switch (escaped)
        {
            case (byte)'n':
                return (byte)'\n';
            case (byte)'r':
                return (byte)'\r';
            case (byte)'t':
                return (byte)'\t';
            case (byte)'u' when i + 4 < raw.Length:
                var ok = Utf8Parser.TryParse(raw.Slice(i + 1, 4), out ushort code, out _, 'X');
                i += 4;
                return ok && code < 0x80 ? (byte)code : (byte)0x80;
            default:
                // \" \\ \/ stand for themselves; \b and \f are as good as a space.
                return escaped is (byte)'b' or (byte)'f' ? (byte)' ' : escaped;
        }
    }

    internal static bool IsLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static bool IsWordByte(byte b) => IsLetter(b) || b >= 0x80 || (uint)(b - '0') <= 9;

    /// <summary>Whether <paramref name="line"/> starts with one or two digits, then <c>.</c> or <c>)</c>, then a space.</summary>
    private static bool IsListItem(ReadOnlySpan<byte> line)
    {
        var digits = 0;
        while (digits < line.Length && digits < 3 && (uint)(line[digits] - '0') <= 9) digits++;
        return digits is 1 or 2
            && line.Length > digits + 1
            && line[digits] is (byte)'.' or (byte)')'
            && line[digits + 1] == ' ';
    }
}
