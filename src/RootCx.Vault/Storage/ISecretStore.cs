using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Storage;

/// <summary>
/// Persists sealed envelopes and their metadata. A store never sees plaintext and knows nothing of cryptography:
/// everything secret-specific happens above it. Every implementation must pass the shared conformance suite.
/// </summary>
/// <remarks>
/// Names are unique ignoring case within a scope (<see cref="SecretName"/> equality); a store preserves the
/// spelling of the latest write. Every member is safe to call concurrently, also from several processes that
/// share the store.
/// </remarks>
public interface ISecretStore
{
    /// <summary>Reads one secret, or <see langword="null"/> when it does not exist.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stored secret, or <see langword="null"/>.</returns>
    ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default);

    /// <summary>Lists every secret of a scope, in no particular order.</summary>
    /// <param name="scope">The scope to list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The scope's secrets.</returns>
    IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces a secret, atomically. A new secret gets version 1 and <paramref name="timestamp"/> as both
    /// times; a replaced one keeps its creation time, takes the new spelling of its name, and its version grows by one.
    /// The change version moves.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="envelope">The sealed envelope, stored as given.</param>
    /// <param name="timestamp">The time of the write.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The secret as stored.</returns>
    ValueTask<StoredSecret> SetAsync(
        SecretScope scope,
        SecretName name,
        ReadOnlyMemory<byte> envelope,
        DateTimeOffset timestamp,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a secret's envelope only if its version is still <paramref name="expectedVersion"/> (compare and swap),
    /// keeping its name and times; the version grows by one and the change version moves. Key rotation uses it, so a
    /// value set meanwhile is never overwritten by a re-sealed old one.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="expectedVersion">The version the new envelope was made from.</param>
    /// <param name="envelope">The new envelope.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The secret as stored, or <see langword="null"/> when it is gone or its version moved on.</returns>
    ValueTask<StoredSecret?> ReplaceEnvelopeAsync(
        SecretScope scope,
        SecretName name,
        long expectedVersion,
        ReadOnlyMemory<byte> envelope,
        CancellationToken cancellationToken = default);

    /// <summary>Lists the scopes that hold at least one secret, in no particular order.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The scopes in use.</returns>
    IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret. The change version moves when something was deleted.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when the secret existed.</returns>
    ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the ids of the master keys that seal the envelopes held, across all scopes. An empty set means the
    /// store holds no secret. The vault checks it at start-up against its key ring.
    /// </summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The key ids in use.</returns>
    ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsInUseAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a number that changes on every set and on every delete that removed a secret, as seen by every process
    /// sharing the store. Cheap to poll: it never reads the secrets.
    /// </summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The current change version.</returns>
    ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default);
}
