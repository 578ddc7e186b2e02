using Microsoft.Extensions.Primitives;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>
/// A store that hands every call to <see cref="Inner"/>: derive from it to make one behave differently (an outage, a
/// slow answer) and override only what differs.
/// </summary>
public abstract class DelegatingSecretStore(ISecretStore inner) : ISecretStore
{
    /// <summary>Gets the store each call goes to; an override can throw to make a call fail.</summary>
    protected virtual ISecretStore Inner => inner;

    public virtual ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(scope, name, cancellationToken);

    public virtual IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        Inner.ListAsync(scope, cancellationToken);

    public virtual ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken = default) =>
        Inner.SetAsync(scope, name, envelope, keyId, timestamp, precondition, maxVersions, cancellationToken);

    public virtual ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        Inner.ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, keyId, cancellationToken);

    public virtual ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default) =>
        Inner.ImportAsync(secrets, cancellationToken);

    public virtual IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) => Inner.ListScopesAsync(cancellationToken);

    public virtual ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(scope, name, timestamp, precondition, cancellationToken);

    public virtual ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        Inner.GetHistoryAsync(scope, name, cancellationToken);

    public virtual IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        Inner.ListHistoryAsync(scope, cancellationToken);

    public virtual ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        Inner.ReplaceHistoryEnvelopeAsync(scope, name, version, envelope, keyId, cancellationToken);

    public virtual IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        Inner.ListDeletedAsync(scope, cancellationToken);

    public virtual ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        Inner.RecoverAsync(scope, name, cancellationToken);

    public virtual ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        Inner.PurgeAsync(scope, name, cancellationToken);

    public virtual ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default) =>
        Inner.PurgeDeletedAsync(deletedBefore, cancellationToken);

    public virtual ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => Inner.GetKeyIdsAsync(cancellationToken);

    public virtual ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default) =>
        Inner.AddKeyIdAsync(keyId, admittedBy, cancellationToken);

    public virtual ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default) => Inner.RemoveKeyIdAsync(keyId, cancellationToken);

    public virtual ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) => Inner.GetChangeVersionAsync(cancellationToken);

    public virtual ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default) =>
        Inner.GetChangedScopesAsync(since, until, scopes, cancellationToken);

    public virtual IChangeToken WatchChanges() => inner.WatchChanges();
}
