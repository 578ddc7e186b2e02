using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Diagnostics;

/// <summary>
/// The store as the vault uses it: every operation of the configured store timed into
/// <c>rootcx.vault.store.operation.duration</c> and traced as a span, tagged with the store and the operation.
/// Whatever the store, so that a new one is measured the same way without knowing about telemetry.
/// </summary>
internal sealed class InstrumentedSecretStore(ISecretStore inner, VaultTelemetry telemetry) : ISecretStore
{
    // FileSystemSecretStore -> "filesystem", PostgreSqlSecretStore -> "postgresql": a tag value, not a type name.
    private readonly string _store = inner.GetType().Name.Replace("SecretStore", "", StringComparison.Ordinal).ToLowerInvariant();
    private readonly VaultTelemetry _telemetry = telemetry;

    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        MeasureAsync("get", scope, () => inner.GetAsync(scope, name, cancellationToken));

    public IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        MeasureEachAsync("list", scope, inner.ListAsync(scope, cancellationToken), cancellationToken);

    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken = default) =>
        MeasureAsync("set", scope, () => inner.SetAsync(scope, name, envelope, keyId, timestamp, precondition, maxVersions, cancellationToken));

    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        MeasureAsync("replace_envelope", scope, () => inner.ReplaceEnvelopeAsync(scope, name, expectedVersion, envelope, keyId, cancellationToken));

    public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) =>
        MeasureEachAsync("list_scopes", null, inner.ListScopesAsync(cancellationToken), cancellationToken);

    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default) =>
        MeasureAsync("delete", scope, () => inner.DeleteAsync(scope, name, timestamp, precondition, cancellationToken));

    public ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        MeasureAsync("get_history", scope, () => inner.GetHistoryAsync(scope, name, cancellationToken));

    public IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        MeasureEachAsync("list_history", scope, inner.ListHistoryAsync(scope, cancellationToken), cancellationToken);

    public ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        MeasureAsync("replace_history_envelope", scope, () => inner.ReplaceHistoryEnvelopeAsync(scope, name, version, envelope, keyId, cancellationToken));

    public IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        MeasureEachAsync("list_deleted", scope, inner.ListDeletedAsync(scope, cancellationToken), cancellationToken);

    public ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        MeasureAsync("recover", scope, () => inner.RecoverAsync(scope, name, cancellationToken));

    public ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        MeasureAsync("purge", scope, () => inner.PurgeAsync(scope, name, cancellationToken));

    public ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default) =>
        MeasureAsync("purge_deleted", null, () => inner.PurgeDeletedAsync(deletedBefore, cancellationToken));

    public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("get_key_ids", null, () => inner.GetKeyIdsAsync(cancellationToken));

    public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default) =>
        MeasureAsync("add_key_id", null, () => inner.AddKeyIdAsync(keyId, admittedBy, cancellationToken));

    public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        MeasureAsync("remove_key_id", null, () => inner.RemoveKeyIdAsync(keyId, cancellationToken));

    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("get_change_version", null, () => inner.GetChangeVersionAsync(cancellationToken));

    public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default) =>
        MeasureAsync("get_changed_scopes", null, () => inner.GetChangedScopesAsync(since, until, scopes, cancellationToken));

    public ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default) =>
        MeasureAsync("import", null, () => inner.ImportAsync(secrets, cancellationToken));

    public IChangeToken WatchChanges() => inner.WatchChanges();

    public override string? ToString() => inner.ToString();

    private async ValueTask<T> MeasureAsync<T>(string name, SecretScope? scope, Func<ValueTask<T>> call)
    {
        using Operation operation = Begin(name, scope);
        return await operation.Watch(call).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<T> MeasureEachAsync<T>(string name, SecretScope? scope, IAsyncEnumerable<T> items, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using Operation operation = Begin(name, scope);
        await using IAsyncEnumerator<T> enumerator = items.GetAsyncEnumerator(cancellationToken);
        while (await operation.Watch(enumerator.MoveNextAsync).ConfigureAwait(false))
        {
            yield return enumerator.Current;
        }
    }

    private Operation Begin(string name, SecretScope? scope) =>
        new(this, name, VaultTelemetry.StartStoreOperation(_store, name, scope));

    /// <summary>
    /// One store operation in flight: records, on dispose, the time spent in the store (for a listing, in its steps,
    /// not in the caller's work between them) and the error type when it failed.
    /// </summary>
    private sealed class Operation(InstrumentedSecretStore owner, string name, Activity? activity) : IDisposable
    {
        private TimeSpan _inStore;
        private string? _errorType;

        public async ValueTask<T> Watch<T>(Func<ValueTask<T>> step)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                return await step().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The type only: a message may name hosts or paths, and telemetry leaves the host.
                _errorType = ex.GetType().FullName;
                activity?.SetStatus(ActivityStatusCode.Error, _errorType);
                activity?.SetTag("error.type", _errorType);
                throw;
            }
            finally
            {
                _inStore += Stopwatch.GetElapsedTime(started);
            }
        }

        public void Dispose()
        {
            owner._telemetry.StoreOperationEnded(owner._store, name, _inStore, _errorType);
            activity?.Dispose();
        }
    }
}
