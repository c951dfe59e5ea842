namespace Switchboard.Chat;

/// <summary>Where one top-level property of a JSON object sits in the body, in bytes.</summary>
/// <param name="Start">The opening quote of the name.</param>
/// <param name="NameStart">The first byte of the name, inside the quotes.</param>
/// <param name="NameLength">The name's length in bytes as written (escapes included).</param>
/// <param name="ValueStart">The first byte of the value.</param>
/// <param name="End">One past the last byte of the value.</param>
internal readonly record struct JsonPropertySpan(int Start, int NameStart, int NameLength, int ValueStart, int End)
{
    public bool NameIs(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name) =>
        body.Slice(NameStart, NameLength).SequenceEqual(name);
}
