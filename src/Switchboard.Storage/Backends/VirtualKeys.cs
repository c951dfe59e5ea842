using System.Security.Cryptography;
using System.Text;

namespace Switchboard.Storage.Backends;

/// <summary>Making, hashing and naming virtual keys.</summary>
internal static class VirtualKeys
{
    public const string Prefix = "sk-sb-";

    /// <summary>40 base62 characters carry 238 bits: no one guesses a key, and no one can search for one by its hash.</summary>
    public const int RandomLength = 40;

    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>A new key from the operating system's cryptographic generator; every character is equally likely.</summary>
    public static string NewKey() => Prefix + RandomNumberGenerator.GetString(Base62, RandomLength);

    /// <summary>A new id: public, unique, unrelated to the key.</summary>
    public static string NewId() => "vk_" + RandomNumberGenerator.GetString(Base62, 16);

    /// <summary>
    /// The stored form of a key: SHA-256, hex. A fast unsalted hash is enough here, unlike for passwords: the
    /// key is 238 random bits, so a stolen table cannot be reversed by guessing, and an unsalted hash is what
    /// lets a presented key be found with one indexed lookup. Hex of a hash never equals a key, which starts
    /// with <see cref="Prefix"/>.
    /// </summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The prefix and the last four characters: enough to tell keys apart, too little to matter.</summary>
    public static string Hint(string key) => Prefix + "..." + key[^4..];

    /// <summary>True when <paramref name="text"/> has the shape of a key this store makes, so others need no lookup.</summary>
    public static bool LooksLikeKey(string text) => text.Length is > 6 and <= 256 && text.StartsWith(Prefix, StringComparison.Ordinal);
}
