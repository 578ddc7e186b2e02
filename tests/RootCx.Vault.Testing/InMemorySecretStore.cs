using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>A store in a dictionary, for unit tests. Not a product store: nothing survives the process.</summary>
public sealed class InMemorySecretStore : ISecretStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, SecretName Name), Entry> _entries = [];
    private readonly Dictionary<(string Namespace, SecretName Name), long> _purgedVersions = [];
    private readonly HashSet<MasterKeyId> _keyIds = [];
    private readonly Dictionary<string, long> _scopeVersions = [];
    private long _changeVersion;

    /// <summary>Gets a copy of every envelope held (live, deleted and older versions), for scans of the raw storage.</summary>
    public IReadOnlyList<byte[]> RawEnvelopes
    {
        get
        {
            lock (_lock)
            {
                return [.. _entries.Values.SelectMany(e => e.History.Prepend(e.Secret)).Select(s => s.Envelope.ToArray())];
            }
        }
    }

    private IEnumerable<StoredSecret> Live => _entries.Values.Where(e => e.DeletedAt is null).Select(e => e.Secret);

    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(LiveEntry(scope, name)?.Secret);
        }
    }

    public IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        SnapshotAsync(() => Live.Where(s => s.Scope.Equals(scope)), cancellationToken);

    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RequireRecordedKey(keyId);
            Entry? old = _entries.GetValueOrDefault((scope.Namespace, name));
            StoredSecret? live = old?.DeletedAt is null ? old?.Secret : null;
            Require(precondition, scope, name, live?.Version);
            long version = (old?.Secret.Version ?? _purgedVersions.GetValueOrDefault((scope.Namespace, name))) + 1;
            var stored = new StoredSecret(scope, name, envelope.ToArray(), keyId, live?.CreatedAt ?? timestamp, timestamp, version);
            // Over a deleted secret the set is a new secret: the deleted one and its history go, as a purge would take them.
            List<StoredSecret> history = live is null ? [] : [live, .. old!.History];
            _entries.Remove((scope.Namespace, name));
            _entries[(scope.Namespace, name)] = new Entry(stored, null, [.. history.Take(maxVersions - 1)]);
            _scopeVersions[scope.Namespace] = ++_changeVersion;
            return ValueTask.FromResult(stored);
        }
    }

    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RequireRecordedKey(keyId);
            if (!_entries.TryGetValue((scope.Namespace, name), out Entry? entry) || entry.Secret.Version != expectedVersion)
            {
                return ValueTask.FromResult<StoredSecret?>(null);
            }

            StoredSecret current = entry.Secret;
            var replaced = new StoredSecret(scope, current.Name, envelope.ToArray(), keyId, current.CreatedAt, current.UpdatedAt, current.Version + 1);
            _entries[(scope.Namespace, name)] = entry with { Secret = replaced };
            _scopeVersions[scope.Namespace] = ++_changeVersion;
            return ValueTask.FromResult<StoredSecret?>(replaced);
        }
    }

    public ValueTask<int> ImportAsync(IReadOnlyList<StoredSecret> secrets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        cancellationToken.ThrowIfCancellationRequested();
        if (secrets.GroupBy(s => (s.Scope, s.Name)).Any(g => g.Count() > 1))
        {
            throw new ArgumentException("The batch holds a name twice in one scope.", nameof(secrets));
        }

        lock (_lock)
        {
            foreach (StoredSecret secret in secrets)
            {
                RequireRecordedKey(secret.KeyId);
            }

            StoredSecret[] written = [.. secrets.Where(s =>
                !_entries.ContainsKey((s.Scope.Namespace, s.Name)) && _purgedVersions.GetValueOrDefault((s.Scope.Namespace, s.Name)) < s.Version)];
            if (written.Length > 0)
            {
                ++_changeVersion;
            }

            foreach (StoredSecret secret in written)
            {
                _entries[(secret.Scope.Namespace, secret.Name)] = new Entry(
                    new StoredSecret(secret.Scope, secret.Name, secret.Envelope.ToArray(), secret.KeyId, secret.CreatedAt, secret.UpdatedAt, secret.Version), null, []);
                _scopeVersions[secret.Scope.Namespace] = _changeVersion;
            }

            return ValueTask.FromResult(written.Length);
        }
    }

    public IAsyncEnumerable<SecretScope> ListScopesAsync(CancellationToken cancellationToken = default) =>
        SnapshotAsync(() => _entries.Values.Select(e => e.Secret.Scope).Distinct(), cancellationToken);

    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            Entry? live = LiveEntry(scope, name);
            Require(precondition, scope, name, live?.Secret.Version);
            if (live is null)
            {
                return ValueTask.FromResult(false);
            }

            _entries[(scope.Namespace, name)] = live with { DeletedAt = timestamp };
            _scopeVersions[scope.Namespace] = ++_changeVersion;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredSecret>>(_entries.GetValueOrDefault((scope.Namespace, name))?.History.ToArray() ?? []);
        }
    }

    public IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        SnapshotAsync(() => _entries.Values.Where(e => e.Secret.Scope.Equals(scope)).SelectMany(e => e.History), cancellationToken);

    public ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RequireRecordedKey(keyId);
            Entry? entry = _entries.GetValueOrDefault((scope.Namespace, name));
            int index = entry?.History.FindIndex(v => v.Version == version) ?? -1;
            if (entry is null || index < 0)
            {
                return ValueTask.FromResult(false);
            }

            StoredSecret old = entry.History[index];
            entry.History[index] = new StoredSecret(scope, old.Name, envelope.ToArray(), keyId, old.CreatedAt, old.UpdatedAt, old.Version);
            return ValueTask.FromResult(true);
        }
    }

    public IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, CancellationToken cancellationToken = default) =>
        SnapshotAsync(() => _entries.Values.Where(e => e.Secret.Scope.Equals(scope) && e.DeletedAt is not null).Select(e => new DeletedSecret(e.Secret, e.DeletedAt!.Value)), cancellationToken);

    public ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_entries.GetValueOrDefault((scope.Namespace, name)) is not { DeletedAt: not null } entry)
            {
                return ValueTask.FromResult<StoredSecret?>(null);
            }

            _entries[(scope.Namespace, name)] = entry with { DeletedAt = null };
            _scopeVersions[scope.Namespace] = ++_changeVersion;
            return ValueTask.FromResult<StoredSecret?>(entry.Secret);
        }
    }

    public ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(Purge(scope.Namespace, name, _ => true));
        }
    }

    public ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<DeletedSecret> purged = [.. _entries.Keys.ToArray()
                .Select(key => Purge(key.Namespace, key.Name, deletedAt => deletedAt < deletedBefore))
                .OfType<DeletedSecret>()];
            return ValueTask.FromResult(purged);
        }
    }

    public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlySet<MasterKeyId>>(_keyIds.ToHashSet());
        }
    }

    public ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (admittedBy is { } admitting ? _keyIds.Contains(admitting) : _keyIds.Count == 0)
            {
                _keyIds.Add(keyId);
            }

            return ValueTask.FromResult<IReadOnlySet<MasterKeyId>>(_keyIds.ToHashSet());
        }
    }

    public ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            bool inUse = _entries.Values.SelectMany(e => e.History.Prepend(e.Secret)).Any(s => s.KeyId == keyId);
            return ValueTask.FromResult(!inUse && _keyIds.Remove(keyId));
        }
    }

    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_changeVersion);
        }
    }

    public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyCollection<SecretScope>>(
                [.. scopes.Where(scope => _scopeVersions.GetValueOrDefault(scope.Namespace) is long version && version > since && version <= until)]);
        }
    }

    /// <summary>One process only: the vault tells its own change feed about its writes.</summary>
    public IChangeToken WatchChanges() => new CancellationChangeToken(CancellationToken.None);

    private Entry? LiveEntry(SecretScope scope, SecretName name) =>
        _entries.GetValueOrDefault((scope.Namespace, name)) is { DeletedAt: null } entry ? entry : null;

    private DeletedSecret? Purge(string @namespace, SecretName name, Func<DateTimeOffset, bool> expired)
    {
        if (_entries.GetValueOrDefault((@namespace, name)) is not { DeletedAt: { } deletedAt } entry || !expired(deletedAt))
        {
            return null;
        }

        _entries.Remove((@namespace, name));
        _purgedVersions[(@namespace, name)] = entry.Secret.Version;
        _scopeVersions[@namespace] = ++_changeVersion;
        return new DeletedSecret(entry.Secret, deletedAt);
    }

    private async IAsyncEnumerable<T> SnapshotAsync<T>(Func<IEnumerable<T>> select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        T[] snapshot;
        lock (_lock)
        {
            snapshot = [.. select()];
        }

        foreach (T item in snapshot)
        {
            await Task.Yield();
            yield return item;
        }
    }

    private void RequireRecordedKey(MasterKeyId keyId)
    {
        if (!_keyIds.Contains(keyId))
        {
            throw new SecretStoreException($"The envelope is sealed under master key {keyId}, which this store was not set up with.");
        }
    }

    private static void Require(SecretPrecondition precondition, SecretScope scope, SecretName name, long? currentVersion)
    {
        if (!precondition.IsMetBy(currentVersion))
        {
            throw new SecretConflictException(scope, name, precondition, currentVersion);
        }
    }

    /// <summary>A name's record: its secret (live, or deleted at <see cref="DeletedAt"/>) and its older versions, newest first.</summary>
    private sealed record Entry(StoredSecret Secret, DateTimeOffset? DeletedAt, List<StoredSecret> History);
}
