using System.Diagnostics.CodeAnalysis;

namespace RootCx.Vault;

/// <summary>
/// Manages secrets: set, list names, delete, and their lifecycle (history and restore, deleted secrets, recover and
/// purge). Nothing on this surface returns plaintext, so an HTTP endpoint built on
/// it cannot leak a value by mistake; decryption lives behind <see cref="ISecretReader"/>.
/// </summary>
public interface ISecretVault
{
    /// <summary>
    /// The largest secret value accepted, in UTF-8 bytes: between Azure Key Vault's 25 KB and AWS Secrets Manager's
    /// 64 KB, and below Windows' limit for one environment variable, so every value accepted can also be injected.
    /// </summary>
    const int MaxValueUtf8Bytes = 32_000;

    /// <summary>Creates or replaces a secret.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, validated by <see cref="SecretName.Parse"/>.</param>
    /// <param name="value">The plaintext value; it is encrypted before it reaches the store.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The secret's metadata after the write (version 1 when it was created).</returns>
    /// <exception cref="SecretValidationException">The name or value breaks a rule; nothing was written.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the value's type and the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<SecretMetadata> SetAsync(SecretScope scope, string name, string value, CancellationToken cancellationToken = default) =>
        SetAsync(scope, name, value, SecretPrecondition.None, cancellationToken);

    /// <summary>
    /// Creates or replaces a secret when <paramref name="precondition"/> holds: <see cref="SecretPrecondition.IfAbsent"/>
    /// only creates, <see cref="SecretPrecondition.IfVersion"/> only replaces the version read before.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, validated by <see cref="SecretName.Parse"/>.</param>
    /// <param name="value">The plaintext value; it is encrypted before it reaches the store.</param>
    /// <param name="precondition">What the secret must be, checked by the store atomically with the write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The secret's metadata after the write.</returns>
    /// <exception cref="SecretValidationException">The name or value breaks a rule; nothing was written.</exception>
    /// <exception cref="SecretConflictException">The secret is not what <paramref name="precondition"/> requires; nothing was written.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the value's type and the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<SecretMetadata> SetAsync(SecretScope scope, string name, string value, SecretPrecondition precondition, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a secret from UTF-8 bytes, which the caller can clear afterwards.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, validated by <see cref="SecretName.Parse"/>.</param>
    /// <param name="utf8Value">The plaintext value as UTF-8.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The secret's metadata after the write (version 1 when it was created).</returns>
    /// <exception cref="SecretValidationException">The name or value breaks a rule; nothing was written.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the value's type and the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<SecretMetadata> SetAsync(SecretScope scope, string name, ReadOnlyMemory<byte> utf8Value, CancellationToken cancellationToken = default) =>
        SetAsync(scope, name, utf8Value, SecretPrecondition.None, cancellationToken);

    /// <summary>Creates or replaces a secret from UTF-8 bytes when <paramref name="precondition"/> holds.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, validated by <see cref="SecretName.Parse"/>.</param>
    /// <param name="utf8Value">The plaintext value as UTF-8.</param>
    /// <param name="precondition">What the secret must be, checked by the store atomically with the write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The secret's metadata after the write.</returns>
    /// <exception cref="SecretValidationException">The name or value breaks a rule; nothing was written.</exception>
    /// <exception cref="SecretConflictException">The secret is not what <paramref name="precondition"/> requires; nothing was written.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the value's type and the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<SecretMetadata> SetAsync(SecretScope scope, string name, ReadOnlyMemory<byte> utf8Value, SecretPrecondition precondition, CancellationToken cancellationToken = default);

    /// <summary>Lists a scope's secrets, names and metadata only, ordered by name.</summary>
    /// <param name="scope">The scope to list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The metadata of every secret in the scope.</returns>
    ValueTask<IReadOnlyList<SecretMetadata>> ListAsync(SecretScope scope, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-seals, under the active master key, every envelope sealed under another key (live and deleted secrets, and
    /// their older versions), while the vault keeps serving.
    /// A secret changed meanwhile is left alone (its new envelope already uses the active key). Then it removes from
    /// the store's key record every previous key of this vault's ring that no longer seals anything, after which hosts
    /// configured with such a key alone are refused: switch every host to the new active key before rotating. Once it
    /// returns and the record holds the active key alone, the previous keys can be removed from
    /// <see cref="RootCxVaultOptions.PreviousMasterKeys"/>. Change tokens fire for the scopes it touched.
    /// </summary>
    /// <param name="cancellationToken">Cancels the rotation between secrets; what was re-sealed stays re-sealed.</param>
    /// <returns>How many envelopes were re-sealed (older versions count one each).</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the progress sink; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<int> RotateAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-seals as <see cref="RotateAsync(CancellationToken)"/> does, reporting progress. Resumable: a secret already
    /// under the active key is skipped, so running it again after an interruption finishes the rest.
    /// </summary>
    /// <param name="progress">Told, after each secret, how many have been examined so far; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the rotation between secrets; what was re-sealed stays re-sealed.</param>
    /// <returns>How many envelopes were re-sealed (older versions count one each).</returns>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the progress sink; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<int> RotateAsync(IProgress<int>? progress, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a secret: it leaves the listing and the runtime at once, and stays recoverable, with its history, for
    /// <see cref="RootCxVaultOptions.DeletedRetention"/> (zero purges it at once).
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when the secret existed.</returns>
    /// <exception cref="SecretValidationException">The name breaks a rule.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<bool> DeleteAsync(SecretScope scope, string name, CancellationToken cancellationToken = default) =>
        DeleteAsync(scope, name, SecretPrecondition.None, cancellationToken);

    /// <summary>Deletes a secret when <paramref name="precondition"/> holds, typically the version read before.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="precondition">What the secret must be, checked by the store atomically with the delete.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns><see langword="true"/> when the secret existed.</returns>
    /// <exception cref="SecretValidationException">The name breaks a rule.</exception>
    /// <exception cref="SecretConflictException">The secret is not what <paramref name="precondition"/> requires; nothing was deleted.</exception>
    [SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ by the precondition; the optional parameter is the trailing CancellationToken, as across .NET.")]
    ValueTask<bool> DeleteAsync(SecretScope scope, string name, SecretPrecondition precondition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the versions of a live secret, newest first: the current one and the older ones kept
    /// (<see cref="RootCxVaultOptions.MaxVersions"/>). Metadata only.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The versions, newest first; empty when no live secret has the name.</returns>
    /// <exception cref="SecretValidationException">The name breaks a rule.</exception>
    ValueTask<IReadOnlyList<SecretVersionMetadata>> ListVersionsAsync(SecretScope scope, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Restores an older version of a live secret: its value is sealed again, inside the vault, as the newest version
    /// (the one replaced joins the history). The value never leaves the vault.
    /// </summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="version">The version to restore, as <see cref="ListVersionsAsync"/> lists it.</param>
    /// <param name="precondition">What the live secret must be, typically the current version read before.</param>
    /// <param name="cancellationToken">Cancels the restore.</param>
    /// <returns>The secret's metadata after the restore, or <see langword="null"/> when no live secret has the name or that version is not kept.</returns>
    /// <exception cref="SecretValidationException">The name breaks a rule.</exception>
    /// <exception cref="SecretConflictException">The secret is not what <paramref name="precondition"/> requires; nothing was written.</exception>
    ValueTask<SecretMetadata?> RestoreVersionAsync(SecretScope scope, string name, long version, SecretPrecondition precondition, CancellationToken cancellationToken = default);

    /// <summary>Lists a scope's deleted secrets that can still be recovered, ordered by name. Metadata only.</summary>
    /// <param name="scope">The scope to list.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <returns>The deleted secrets, with when each was deleted and will be purged.</returns>
    ValueTask<IReadOnlyList<DeletedSecretMetadata>> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default);

    /// <summary>Recovers a deleted secret: it is live again with the value, version and history it had.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the recovery.</param>
    /// <returns>The secret's metadata, or <see langword="null"/> when no deleted secret has the name.</returns>
    /// <exception cref="SecretValidationException">The name breaks a rule.</exception>
    ValueTask<SecretMetadata?> RecoverAsync(SecretScope scope, string name, CancellationToken cancellationToken = default);

    /// <summary>Purges a deleted secret: it and its history are destroyed at once. A live secret must be deleted first.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the purge.</param>
    /// <returns><see langword="true"/> when a deleted secret was purged.</returns>
    /// <exception cref="SecretValidationException">The name breaks a rule.</exception>
    ValueTask<bool> PurgeAsync(SecretScope scope, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Purges every deleted secret, in every scope, whose <see cref="RootCxVaultOptions.DeletedRetention"/> has run out.
    /// A generic host runs it every <see cref="RootCxVaultOptions.DeletedPurgeInterval"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the purge.</param>
    /// <returns>How many deleted secrets were purged.</returns>
    ValueTask<int> PurgeExpiredAsync(CancellationToken cancellationToken = default);
}
