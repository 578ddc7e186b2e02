using System.Runtime.CompilerServices;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Storage;

namespace RootCx.Vault.Testing;

/// <summary>A store in a dictionary, for unit tests. Not a product store: nothing survives the process.</summary>
public sealed class InMemorySecretStore : ISecretStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Namespace, SecretName Name), StoredSecret> _secrets = [];
    private readonly Dictionary<(string Namespace, SecretName Name), long> _deletedVersions = [];
    private readonly HashSet<MasterKeyId> _keyIds = [];
    private readonly Dictionary<string, long> _scopeVersions = [];
    private long _changeVersion;

    /// <summary>Gets a copy of every envelope held, for scans of the raw storage.</summary>
    public IReadOnlyList<byte[]> RawEnvelopes
    {
        get
        {
            lock (_lock)
            {
                return [.. _secrets.Values.Select(s => s.Envelope.ToArray())];
            }
        }
    }

    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_secrets.GetValueOrDefault((scope.Namespace, name)));
        }
    }

    public async IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        StoredSecret[] snapshot;
        lock (_lock)
        {
            snapshot = [.. _secrets.Values.Where(s => s.Scope.Equals(scope))];
        }

        foreach (StoredSecret secret in snapshot)
        {
            await Task.Yield();
            yield return secret;
        }
    }

    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            RequireRecordedKey(keyId);
            bool exists = _secrets.TryGetValue((scope.Namespace, name), out StoredSecret? old);
            Require(precondition, scope, name, old?.Version);
            StoredSecret stored = exists
                ? new StoredSecret(scope, name, envelope.ToArray(), keyId, old!.CreatedAt, timestamp, old.Version + 1)
                : new StoredSecret(scope, name, envelope.ToArray(), keyId, timestamp, timestamp, _deletedVersions.GetValueOrDefault((scope.Namespace, name)) + 1);
            _secrets.Remove((scope.Namespace, name));
            _secrets[(scope.Namespace, name)] = stored;
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
            if (!_secrets.TryGetValue((scope.Namespace, name), out StoredSecret? current) || current.Version != expectedVersion)
            {
                return ValueTask.FromResult<StoredSecret?>(null);
            }

            StoredSecret replaced = new StoredSecret(scope, current.Name, envelope.ToArray(), keyId, current.CreatedAt, current.UpdatedAt, current.Version + 1);
            _secrets[(scope.Namespace, name)] = replaced;
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
                !_secrets.ContainsKey((s.Scope.Namespace, s.Name)) && _deletedVersions.GetValueOrDefault((s.Scope.Namespace, s.Name)) < s.Version)];
            if (written.Length > 0)
            {
                ++_changeVersion;
            }

            foreach (StoredSecret secret in written)
            {
                _secrets[(secret.Scope.Namespace, secret.Name)] = new StoredSecret(
                    secret.Scope, secret.Name, secret.Envelope.ToArray(), secret.KeyId, secret.CreatedAt, secret.UpdatedAt, secret.Version);
                _scopeVersions[secret.Scope.Namespace] = _changeVersion;
            }

            return ValueTask.FromResult(written.Length);
        }
    }

    public async IAsyncEnumerable<SecretScope> ListScopesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SecretScope[] scopes;
        lock (_lock)
        {
            scopes = [.. _secrets.Values.Select(s => s.Scope).Distinct()];
        }

        foreach (SecretScope scope in scopes)
        {
            await Task.Yield();
            yield return scope;
        }
    }

    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            Require(precondition, scope, name, _secrets.GetValueOrDefault((scope.Namespace, name))?.Version);
            bool removed = _secrets.Remove((scope.Namespace, name), out StoredSecret? deleted);
            if (removed)
            {
                _deletedVersions[(scope.Namespace, name)] = deleted!.Version;
                _scopeVersions[scope.Namespace] = ++_changeVersion;
            }

            return ValueTask.FromResult(removed);
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
            return ValueTask.FromResult(_secrets.Values.All(s => s.KeyId != keyId) && _keyIds.Remove(keyId));
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
}
