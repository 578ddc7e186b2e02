using Microsoft.Extensions.Primitives;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Tests;

/// <summary>A store whose every call times out while <see cref="Down"/> is set, as a database that is restarting.</summary>
internal sealed class OutageStore(ISecretStore inner) : ISecretStore
{
    public bool Down { get; set; }

    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => Up().GetAsync(scope, name, cancellationToken);

    public IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) => Up().ListAsync(scope, cancellationToken);

    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, CancellationToken cancellationToken = default) =>
        Up().SetAsync(scope, name, envelope, keyId, timestamp, cancellationToken);

    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        Up().ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, keyId, cancellationToken);

    public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) => Up().ListScopesAsync(cancellationToken);

    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) => Up().DeleteAsync(scope, name, cancellationToken);

    public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default) => Up().GetKeyIdsAsync(cancellationToken);

    public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default) =>
        Up().AddKeyIdAsync(keyId, admittedBy, cancellationToken);

    public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default) => Up().RemoveKeyIdAsync(keyId, cancellationToken);

    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) => Up().GetChangeVersionAsync(cancellationToken);

    public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default) =>
        Up().GetChangedScopesAsync(since, until, scopes, cancellationToken);

    public IChangeToken WatchChanges() => inner.WatchChanges();

    private ISecretStore Up() => Down ? throw new TimeoutException("The store did not answer.") : inner;
}
