using System.Text.Json;

namespace Switchboard.Chat;

/// <summary>
/// Reads a JSON chunk's string values as spans, for the stream decoders: as written (a slice of the chunk) when
/// they hold no escapes, unescaped into one reused scratch buffer when they do. Nothing is allocated per value.
/// </summary>
internal sealed class JsonStrings
{
    private byte[] _scratch = new byte[256];

    /// <summary>
    /// Reads the next value and returns it as written when it is a string (skipping it otherwise). For ids, names
    /// and models, which never hold escapes in practice; a raw one is still usable as an id.
    /// </summary>
    public static ReadOnlySpan<byte> ReadRaw(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        reader.Skip();
        return default;
    }

    /// <summary>Reads the next value and returns its text unescaped when it is a string (skipping it otherwise).</summary>
    public ReadOnlySpan<byte> ReadText(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int offset = 0)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String) return Unescape(ref reader, json, offset);
        reader.Skip();
        return default;
    }

    /// <summary>
    /// The current string's text: a slice of <paramref name="json"/>, or the scratch buffer from
    /// <paramref name="offset"/> when it had escapes. Two values needed at once take different offsets.
    /// </summary>
    public ReadOnlySpan<byte> Unescape(scoped ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int offset = 0)
    {
        if (!reader.ValueIsEscaped) return json.Slice((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length);
        var needed = offset + reader.ValueSpan.Length;
        if (_scratch.Length < needed) Array.Resize(ref _scratch, Math.Max(needed, _scratch.Length * 2));
        var written = reader.CopyString(_scratch.AsSpan(offset));
        return _scratch.AsSpan(offset, written);
    }
}
