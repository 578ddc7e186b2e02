using RootCx.Vault.Storage;

namespace RootCx.Vault.SqlServer;

public sealed partial class SqlServerSecretStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        _core.GetHistoryAsync(scope, name, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        _core.ListHistoryAsync(scope, cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        _core.ReplaceHistoryEnvelopeAsync(scope, name, version, envelope, keyId, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        _core.ListDeletedAsync(scope, cancellationToken);

    /// <inheritdoc />
    public ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        _core.RecoverAsync(scope, name, cancellationToken);

    /// <inheritdoc />
    public ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        _core.PurgeAsync(scope, name, cancellationToken);

    /// <inheritdoc />
    /// <remarks>In batches of 1,000 secrets, each one statement and one transaction that moves the change version once.</remarks>
    public ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default) =>
        _core.PurgeDeletedAsync(deletedBefore, cancellationToken);
}
