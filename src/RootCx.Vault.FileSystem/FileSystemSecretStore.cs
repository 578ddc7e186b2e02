using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RootCx.Vault.Cryptography;
using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// Stores each secret in its own file under a root folder (docs/FORMAT.md), the embedded default store.
/// Writes are atomic and durable; several processes may share one root; reads take no lock.
/// </summary>
/// <remarks>
/// Layout: <c>scopes/&lt;namespace&gt;/&lt;NAME&gt;.secret</c>, where both parts come from validated
/// <see cref="SecretScope"/> and <see cref="SecretName"/> values (the name upper-cased, so names are unique ignoring
/// case on every file system), plus <c>lock</c>, <c>changes</c> and <c>tmp/</c>. Files are 0600, folders 0700 on Unix.
/// File I/O is synchronous: a durable write is bound by fsync, which has no asynchronous form.
/// </remarks>
public sealed class FileSystemSecretStore : ISecretStore, IDisposable
{
    private const string SecretExtension = ".secret";
    private readonly string _scopes;
    private readonly string _temporary;
    private readonly StoreLock _lock;
    private readonly ChangeCounter _changes;

    /// <summary>Opens (creating it when needed) the store under <paramref name="rootPath"/>.</summary>
    /// <param name="rootPath">The store's root folder.</param>
    /// <param name="time">The clock for the change version; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where housekeeping is logged.</param>
    public FileSystemSecretStore(string rootPath, TimeProvider? time = null, ILogger<FileSystemSecretStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        RootPath = Path.GetFullPath(rootPath);
        _scopes = Path.Combine(RootPath, "scopes");
        _temporary = Path.Combine(RootPath, "tmp");
        DurableFile.CreateOwnerOnlyDirectory(RootPath);
        DurableFile.CreateOwnerOnlyDirectory(_scopes);
        DurableFile.CreateOwnerOnlyDirectory(_temporary);
        _lock = new StoreLock(Path.Combine(RootPath, "lock"));
        _changes = new ChangeCounter(Path.Combine(RootPath, "changes"), time ?? TimeProvider.System);
        RemoveStrayTemporaryFiles(logger ?? NullLogger<FileSystemSecretStore>.Instance);
    }

    /// <summary>Gets the full path of the store's root folder.</summary>
    public string RootPath { get; }

    /// <inheritdoc />
    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(TryRead(scope, PathOf(scope, name)));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string directory = DirectoryOf(scope);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (string path in Directory.EnumerateFiles(directory, "*" + SecretExtension))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryRead(scope, path) is { } secret)
            {
                yield return secret;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        string path = PathOf(scope, name);
        using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            StoredSecret? old = TryRead(scope, path);
            var stored = new StoredSecret(scope, name, envelope, old?.CreatedAt ?? timestamp, timestamp, (old?.Version ?? 0) + 1);
            string directory = Path.GetDirectoryName(path)!;
            if (!Directory.Exists(directory))
            {
                // The new folder's own entry must be durable too, or a power loss could take the file with it.
                DurableFile.CreateOwnerOnlyDirectory(directory);
                DurableFile.FlushDirectory(_scopes);
            }

            DurableFile.Replace(path, _temporary, SecretFile.Encode(stored));
            _changes.Advance();
            return stored;
        }
    }

    /// <inheritdoc />
    public async ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, CancellationToken cancellationToken = default)
    {
        string path = PathOf(scope, name);
        using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            if (TryRead(scope, path) is not { } current || current.Version != expectedVersion)
            {
                return null;
            }

            StoredSecret replaced = current with { Envelope = envelope, Version = current.Version + 1 };
            DurableFile.Replace(path, _temporary, SecretFile.Encode(replaced));
            _changes.Advance();
            return replaced;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<SecretScope> ListScopesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach ((SecretScope scope, string directory) in ScopeDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.EnumerateFiles(directory, "*" + SecretExtension).Any())
            {
                yield return scope;
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        string path = PathOf(scope, name);
        using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
        {
            bool deleted = DurableFile.Delete(path);
            if (deleted)
            {
                _changes.Advance();
            }

            return deleted;
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads every secret file: meant for start-up, not for a hot path.</remarks>
    public ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsInUseAsync(CancellationToken cancellationToken = default)
    {
        var keyIds = new HashSet<MasterKeyId>();
        foreach ((SecretScope scope, string directory) in ScopeDirectories())
        {
            foreach (string path in Directory.EnumerateFiles(directory, "*" + SecretExtension))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryRead(scope, path) is { } secret)
                {
                    keyIds.Add(secret.KeyId);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlySet<MasterKeyId>>(keyIds);
    }

    /// <inheritdoc />
    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(_changes.Read());
    }

    /// <summary>Closes the change version file.</summary>
    public void Dispose() => _changes.Dispose();

    /// <summary>Names the store by its folder.</summary>
    /// <returns>For example <c>FileSystemSecretStore(/var/lib/rootcx/vault)</c>.</returns>
    public override string ToString() => $"FileSystemSecretStore({RootPath})";

    private static StoredSecret? TryRead(SecretScope scope, string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return SecretFile.Decode(scope, content, path);
    }

    // A folder no namespace maps to is unreachable through the vault, so it is not a scope.
    private IEnumerable<(SecretScope Scope, string Directory)> ScopeDirectories() =>
        from directory in Directory.EnumerateDirectories(_scopes)
        let @namespace = Path.GetFileName(directory)
        where @namespace == SecretScope.PlatformNamespace || SecretScope.IsValidAppId(@namespace)
        select (SecretScope.FromNamespace(@namespace), directory);

    private string DirectoryOf(SecretScope scope) => Path.Combine(_scopes, scope.Namespace);

    private string PathOf(SecretScope scope, SecretName name) =>
        Path.Combine(DirectoryOf(scope), name.Value.ToUpperInvariant() + SecretExtension);

    // A temporary file outlives its writer only when the writer died; holding the lock proves none is being written.
    private void RemoveStrayTemporaryFiles(ILogger logger)
    {
        using IDisposable held = _lock.AcquireAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        foreach (string stray in Directory.EnumerateFiles(_temporary))
        {
            File.Delete(stray);
            FileSystemStoreLog.RemovedStrayFile(logger, stray);
        }
    }
}
