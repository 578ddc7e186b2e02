using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Primitives;

namespace RootCx.Vault.Storage;

/// <summary>
/// Persists sealed envelopes and their metadata. A store never sees plaintext and knows nothing of cryptography:
/// everything secret-specific happens above it. Every implementation must pass the shared conformance suite.
/// </summary>
/// <remarks>
/// Names are unique ignoring case within a scope (<see cref="SecretName"/> equality); a store preserves the
/// spelling of the latest write. A secret's version never repeats for a name, also across delete and re-create, so a
/// compare-and-swap made from an old read can never succeed. A store keeps a record of the master key ids it was set
/// up with and refuses envelopes sealed under any other. Every member is safe to call concurrently, also from several
/// processes that share the store.
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
    /// Creates or replaces a secret, atomically, when <paramref name="precondition"/> holds. A new secret gets
    /// <paramref name="timestamp"/> as both times and version 1, or, when the name was deleted before, one more than the
    /// version it had then; a replaced one keeps its creation time, takes the new spelling of its name, and its version
    /// grows by one. The live envelope it replaces is kept as an older version (<see cref="GetHistoryAsync"/>), and the
    /// oldest are dropped so the name holds at most <paramref name="maxVersions"/> versions, the new one included. Over a
    /// deleted secret the set makes a new secret: the deleted one and its history are destroyed in the same write, as
    /// <see cref="PurgeAsync"/> would (a deleted value never outlives its retention as history). The change version moves.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="envelope">The sealed envelope, stored as given.</param>
    /// <param name="keyId">The id of the master key that sealed the envelope, kept beside it; the store never reads the envelope.</param>
    /// <param name="timestamp">The time of the write.</param>
    /// <param name="precondition">What the live secret must be, checked atomically with the write (a deleted secret is absent).</param>
    /// <param name="maxVersions">How many versions the name keeps, the new one included: 1 keeps no history.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The secret as stored.</returns>
    /// <exception cref="SecretConflictException"><paramref name="precondition"/> does not hold; nothing was written.</exception>
    /// <exception cref="SecretStoreException"><paramref name="keyId"/> is not in the store's key record; nothing was written.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxVersions"/> is below 1.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<StoredSecret> SetAsync(
        SecretScope scope,
        SecretName name,
        ReadOnlyMemory<byte> envelope,
        MasterKeyId keyId,
        DateTimeOffset timestamp,
        SecretPrecondition precondition,
        int maxVersions,
        CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a secret, atomically, whatever it is: <see cref="SetAsync(SecretScope, SecretName, ReadOnlyMemory{byte}, MasterKeyId, DateTimeOffset, SecretPrecondition, int, CancellationToken)"/> with <see cref="SecretPrecondition.None"/> and <see cref="RootCxVaultOptions.DefaultMaxVersions"/>.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="envelope">The sealed envelope, stored as given.</param>
    /// <param name="keyId">The id of the master key that sealed the envelope.</param>
    /// <param name="timestamp">The time of the write.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The secret as stored.</returns>
    /// <exception cref="SecretStoreException"><paramref name="keyId"/> is not in the store's key record; nothing was written.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<StoredSecret> SetAsync(
        SecretScope scope,
        SecretName name,
        ReadOnlyMemory<byte> envelope,
        MasterKeyId keyId,
        DateTimeOffset timestamp,
        CancellationToken cancellationToken = default) =>
        SetAsync(scope, name, envelope, keyId, timestamp, SecretPrecondition.None, RootCxVaultOptions.DefaultMaxVersions, cancellationToken);

    /// <summary>
    /// Replaces the envelope of a live or deleted secret only if its version is still <paramref name="expectedVersion"/>
    /// (compare and swap), keeping its name, times and whether it is deleted; the version grows by one, no older version
    /// is kept (the envelope replaced holds the same value under an older key), and the change version moves. Key
    /// rotation uses it, so a value set meanwhile is never overwritten by a re-sealed old one.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="expectedVersion">The version the new envelope was made from.</param>
    /// <param name="envelope">The new envelope.</param>
    /// <param name="keyId">The id of the master key that sealed the new envelope.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The secret as stored, or <see langword="null"/> when it is gone or its version moved on.</returns>
    /// <exception cref="SecretStoreException"><paramref name="keyId"/> is not in the store's key record; nothing was written.</exception>
    ValueTask<StoredSecret?> ReplaceEnvelopeAsync(
        SecretScope scope,
        SecretName name,
        long expectedVersion,
        ReadOnlyMemory<byte> envelope,
        MasterKeyId keyId,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies secrets in exactly as given (scope, name spelling, envelope, key id, times, version), for moving a store's
    /// content to another store without opening an envelope. A secret is written only when its name (ignoring case) has
    /// no live or deleted secret in its scope and was not purged at or above the given version (writing it would
    /// repeat a version); the others are left as they are, so a second identical import writes nothing. The batch is
    /// written atomically where the store can (one transaction in the SQL stores; one group commit, files fsynced and
    /// then each folder once, in the file store), and moves the change version and the scope versions like any write.
    /// </summary>
    /// <param name="secrets">The secrets to copy in, of any scopes; each name at most once per scope, ignoring case. Times are kept to the store's precision (microseconds in PostgreSQL).</param>
    /// <param name="cancellationToken">Cancels the import; once it has begun, a batch completes or leaves no trace.</param>
    /// <returns>The number of secrets written; the rest were already present by name.</returns>
    /// <exception cref="ArgumentException">The batch holds a name twice in one scope.</exception>
    /// <exception cref="SecretStoreException">A key id of the batch is not in the store's key record; nothing was written.</exception>
    ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default);

    /// <summary>Lists the scopes that hold at least one live or deleted (not yet purged) secret, in no particular order.</summary>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The scopes in use.</returns>
    IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a live secret when <paramref name="precondition"/> holds: it leaves the listing and every read, and is kept,
    /// envelope and history, as a deleted secret (<see cref="ListDeletedAsync"/>) until it is recovered, set again or
    /// purged. Its version stays, so a secret set later under the name continues from it. The change version moves
    /// when something was deleted.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="timestamp">The time of the delete, from which its retention runs.</param>
    /// <param name="precondition">What the live secret must be, checked atomically with the delete (<see cref="SecretPrecondition.IfAbsent"/> deletes nothing and fails when the secret exists).</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when a live secret existed.</returns>
    /// <exception cref="SecretConflictException"><paramref name="precondition"/> does not hold; nothing was deleted.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default);

    /// <summary>Deletes a secret now, whatever its version: <see cref="DeleteAsync(SecretScope, SecretName, DateTimeOffset, SecretPrecondition, CancellationToken)"/> with the current time and <see cref="SecretPrecondition.None"/>.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when a live secret existed.</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        DeleteAsync(scope, name, DateTimeOffset.UtcNow, SecretPrecondition.None, cancellationToken);

    /// <summary>
    /// Returns the older versions a live or deleted secret keeps (envelope, key id, the time each was written as
    /// <see cref="StoredSecret.UpdatedAt"/>, its version), newest first; the current envelope is not among them.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The older versions, newest first; empty when there are none or no such secret.</returns>
    ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default);

    /// <summary>Lists every older version kept in a scope, of live and deleted secrets, in no particular order: what key rotation re-seals.</summary>
    /// <param name="scope">The scope to list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The scope's older versions.</returns>
    IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the envelope of one older version, keeping its version and times, when it is still kept: key rotation
    /// re-seals history with it. The change version does not move (no reader sees history).
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="version">The older version to re-seal.</param>
    /// <param name="envelope">The new envelope.</param>
    /// <param name="keyId">The id of the master key that sealed the new envelope.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns><see langword="true"/> when the version was kept and is now replaced.</returns>
    /// <exception cref="SecretStoreException"><paramref name="keyId"/> is not in the store's key record; nothing was written.</exception>
    ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default);

    /// <summary>Lists the deleted secrets of a scope that are not purged yet, in no particular order.</summary>
    /// <param name="scope">The scope to list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The scope's deleted secrets.</returns>
    IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Brings a deleted secret back, envelope, version and history as they were: it is live again. The change version moves.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The secret as live again, or <see langword="null"/> when no deleted secret has the name.</returns>
    ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Destroys a deleted secret and its history for good, remembering only its version so that versions never repeat.
    /// A live secret is not purged: delete it first. The change version moves when something was purged.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the write; once it has begun, a write completes or leaves no trace.</param>
    /// <returns>The deleted secret as it was, or <see langword="null"/> when no deleted secret has the name.</returns>
    ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default);

    /// <summary>Purges, as <see cref="PurgeAsync"/> does, every deleted secret of every scope deleted before <paramref name="deletedBefore"/>.</summary>
    /// <param name="deletedBefore">Deleted secrets with an earlier deletion time go.</param>
    /// <param name="cancellationToken">Cancels the purge before it begins, or between the batches a store purges in; what was purged stays purged.</param>
    /// <returns>The secrets purged.</returns>
    ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns the key record: the ids of the master keys the store was set up with, a superset of the ids that seal
    /// the envelopes it holds. Empty for a store that was never set up. The vault checks its key ring against it at
    /// start-up, so the check costs the same whatever the number of secrets.
    /// </summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The recorded key ids.</returns>
    ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="keyId"/> to the key record, atomically, when the record is empty and
    /// <paramref name="admittedBy"/> is <see langword="null"/> (the store is being set up), or when the record holds
    /// <paramref name="admittedBy"/> (a caller that holds a recorded key brings in a new one). Adding an id already
    /// recorded changes nothing. Of several processes setting up an empty store at once, exactly one succeeds.
    /// </summary>
    /// <param name="keyId">The id to record.</param>
    /// <param name="admittedBy">A recorded id whose key the caller holds, or <see langword="null"/> to set up an empty store.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The record after the call: it holds <paramref name="keyId"/> exactly when the id was (or already was) recorded.</returns>
    ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="keyId"/> from the key record, atomically, when no envelope the store holds (live, deleted
    /// or an older version) is sealed under it. Key rotation calls it once everything is re-sealed, so the old key can be retired.
    /// </summary>
    /// <param name="keyId">The id to forget.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see langword="true"/> when the id was recorded and is now removed.</returns>
    ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a number that grows on every set, compare-and-swap, delete, recover and purge that changed something, as seen by every
    /// process sharing the store, in the order the writes took effect. Cheap to poll: it never reads the secrets.
    /// </summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The current change version.</returns>
    ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns which of <paramref name="scopes"/> were written after change version <paramref name="since"/>: those whose
    /// latest write has a change version in (<paramref name="since"/>, <paramref name="until"/>], both as read from
    /// <see cref="GetChangeVersionAsync"/>. Every write moves its scope's version along with the store's, so a change
    /// feed learns what changed without listing any scope. A scope written again after <paramref name="until"/> is
    /// reported by the next call, whose range holds that write.
    /// </summary>
    /// <param name="since">The change version already seen (exclusive).</param>
    /// <param name="until">The change version now seen (inclusive).</param>
    /// <param name="scopes">The scopes of interest.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The scopes among <paramref name="scopes"/> written in that range, in no particular order.</returns>
    ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a token that fires soon after the store changes, through this process or any other sharing it, where
    /// the store can tell (PostgreSQL: LISTEN/NOTIFY; file system: a watcher on the change version file). It may also
    /// fire without a change. A token that never fires when the store cannot notify: other processes'
    /// changes are then found by polling <see cref="GetChangeVersionAsync"/>.
    /// </summary>
    /// <returns>A token for the next change.</returns>
    IChangeToken WatchChanges();
}
