namespace Switchboard.Storage;

/// <summary>Virtual keys: created here, shown once, stored only as a hash.</summary>
public interface IKeyStore
{
    /// <summary>
    /// Makes a key (<c>sk-sb-</c> and 40 random base62 characters) and stores its hash and options. The
    /// plaintext key is in the result and nowhere else: hand it over and forget it.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range (a limit below one, a negative budget).</exception>
    Task<CreatedVirtualKey> CreateKeyAsync(VirtualKeyOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// The key a client presented, found by its hash; null when it is unknown. A revoked or expired key is
    /// returned too: ask <see cref="VirtualKey.StatusAt"/> whether it may be used, and tell the client why not.
    /// </summary>
    Task<VirtualKey?> FindKeyAsync(string presentedKey, CancellationToken cancellationToken = default);

    /// <summary>The key with this id; null when there is none.</summary>
    Task<VirtualKey?> GetKeyAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every key, revoked and expired ones included, oldest first.</summary>
    Task<IReadOnlyList<VirtualKey>> ListKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Revokes the key now; it stays listed, with the time. False when there is no key with this id. Revoking
    /// again keeps the first time.
    /// </summary>
    Task<bool> RevokeKeyAsync(string id, CancellationToken cancellationToken = default);
}
