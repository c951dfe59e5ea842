namespace Switchboard.Storage;

/// <summary>
/// A key just created: the plaintext <see cref="Key"/>, which exists nowhere else and cannot be shown again,
/// and the stored <see cref="Record"/>.
/// </summary>
/// <param name="Key">The key to hand to its user (<c>sk-sb-</c> and 40 base62 characters).</param>
/// <param name="Record">What the store keeps about it.</param>
public sealed record CreatedVirtualKey(string Key, VirtualKey Record)
{
    /// <summary>Shows the record and hides the key, so a log line or a debugger cannot leak it.</summary>
    public override string ToString() => $"CreatedVirtualKey {{ Key = {Record.Hint}, Record = {Record} }}";
}
