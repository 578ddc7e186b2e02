using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;
using RootCx.Vault.Changes;
using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// Stores each secret in its own file under a root folder (docs/FORMAT.md), the embedded default store.
/// Writes are atomic and durable; several processes may share one root; reads take no lock.
/// </summary>
/// <remarks>
/// Layout 3: a live secret in <c>scopes/&lt;namespace&gt;/&lt;NAME&gt;.secret</c>, where both parts come from validated
/// <see cref="SecretScope"/> and <see cref="SecretName"/> values (the name upper-cased, so names are unique ignoring
/// case on every file system); its older versions in <c>history/&lt;NAME&gt;/&lt;version&gt;.secret</c> and, once deleted,
/// the secret in <c>deleted/&lt;NAME&gt;.secret</c> (<c>&lt;NAME&gt;.purged</c> once purged), both subfolders of the scope's,
/// so live reads never see them; plus <c>keys</c> (the key record), <c>lock</c>, <c>changes</c> and <c>tmp/</c>. Layouts 1
/// and 2 are read as they are (docs/FORMAT.md). Files are 0600, folders 0700 on Unix. File I/O is synchronous: a durable
/// write is bound by fsync, which has no asynchronous form.
/// </remarks>
public sealed partial class FileSystemSecretStore : ISecretStore, IDisposable
{
    private readonly StoreLayout _layout;
    private readonly string _temporary;
    private readonly string _keyRecord;
    private readonly StoreLock _lock;
    private readonly ChangeCounter _changes;
    private readonly GroupCommit _writes;
    private readonly ILogger _logger;
    private readonly Lock _watchLock = new();
    private readonly ChangeSignal _changed = new();
    private FileSystemWatcher? _watcher;
    private bool _strayFilesRemoved; // guarded by the store lock

    /// <summary>Opens (creating it when needed) the store under <paramref name="rootPath"/>.</summary>
    /// <exception cref="SecretStoreException">The folder cannot be created or opened; the inner exception says why.</exception>
    /// <param name="rootPath">The store's root folder.</param>
    /// <param name="time">The clock for the change version; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where housekeeping is logged.</param>
    public FileSystemSecretStore(string rootPath, TimeProvider? time = null, ILogger<FileSystemSecretStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        RootPath = Path.GetFullPath(rootPath);
        _layout = new StoreLayout(RootPath);
        _temporary = Path.Combine(RootPath, "tmp");
        _keyRecord = Path.Combine(RootPath, "keys");
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        try
        {
            DurableFile.CreateOwnerOnlyDirectory(RootPath);
            DurableFile.CreateOwnerOnlyDirectory(_layout.Scopes);
            DurableFile.CreateOwnerOnlyDirectory(_temporary);
            _lock = new StoreLock(Path.Combine(RootPath, "lock"));
            _changes = new ChangeCounter(Path.Combine(RootPath, StoreLayout.ChangesFile), time ?? TimeProvider.System);
            _writes = new GroupCommit(_lock, Commit);
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failed(ex);
        }
    }

    /// <summary>Gets the full path of the store's root folder.</summary>
    public string RootPath { get; }

    /// <inheritdoc />
    public ValueTask<StoredSecret?> GetAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run(() => ReadLive(DiskFiles.Instance, scope, _layout.Of(scope, name))?.Secret));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredSecret> ListAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (StoredSecret secret in Run(() => ReadScope(scope, cancellationToken)))
        {
            yield return secret;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The live file replaced becomes the older version <c>history/&lt;NAME&gt;/&lt;version&gt;.secret</c> through a hard
    /// link, so its bytes are not written again; the link and its folder are flushed together with the new file, before
    /// the new file is renamed into place. Versions the limit drops go after the rename, unflushed: the new record's range
    /// (<see cref="SecretRecord.HistoryFrom"/>) already leaves them out. Over a deleted secret the new file, without
    /// history, is renamed into place first; then the deleted record and every history file go, flushed, as a purge's do:
    /// a crash in between leaves the new secret, beside which neither counts.
    /// </remarks>
    public ValueTask<StoredSecret> SetAsync(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset timestamp, SecretPrecondition precondition, int maxVersions, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxVersions, 1);
        return WriteAsync(
            batch =>
            {
                RequireRecordedKey(keyId);
                NamePaths paths = _layout.Of(scope, name);
                SecretRecord? live = ReadLive(batch, scope, paths);
                Require(precondition, scope, name, live?.Secret.Version);
                SecretRecord? deleted = live is null ? ReadDeleted(batch, scope, paths) : null;
                long version = ((live ?? deleted)?.Secret.Version ?? PurgedVersion(batch, paths)) + 1;
                var stored = new StoredSecret(scope, name, envelope, keyId, live?.Secret.CreatedAt ?? timestamp, timestamp, version);
                batch.CreateDirectory(_layout.ScopeFolder(scope));
                if (deleted is not null)
                {
                    // A new secret over the deleted one: it and its history go as a purge takes them, once the new record
                    // (no history: history from = its version) has landed; until then the deleted secret counts.
                    batch.Write(paths.Live, SecretFile.Encode(SecretRecord.WithoutHistory(stored)));
                    batch.Delete(paths.Deleted);
                    DeleteHistory(batch, paths);
                }
                else
                {
                    long historyFrom = KeepHistory(batch, scope, paths, live is null ? null : (live, paths.Live), maxVersions, version);
                    batch.Write(paths.Live, SecretFile.Encode(new SecretRecord(stored, historyFrom, null)));
                    if (batch.Exists(paths.Deleted))
                    {
                        // One a crash left beside the live secret: it does not count.
                        batch.Discard(paths.Deleted);
                    }
                }

                batch.Touch(scope);
                return stored;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StoredSecret?> ReplaceEnvelopeAsync(SecretScope scope, SecretName name, long expectedVersion, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        WriteAsync(
            batch =>
            {
                RequireRecordedKey(keyId);
                NamePaths paths = _layout.Of(scope, name);
                SecretRecord? live = ReadLive(batch, scope, paths);
                if ((live ?? ReadDeleted(batch, scope, paths)) is not { } current || current.Secret.Version != expectedVersion)
                {
                    return null;
                }

                StoredSecret old = current.Secret;
                var replaced = new StoredSecret(scope, old.Name, envelope, keyId, old.CreatedAt, old.UpdatedAt, old.Version + 1);
                RemoveHistoryAtOrAbove(batch, paths, old.Version);
                batch.Write(live is null ? paths.Deleted : paths.Live, SecretFile.Encode(current with { Secret = replaced }));
                batch.Touch(scope);
                return replaced;
            },
            cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<SecretScope> ListScopesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (SecretScope scope in Run(() => ScopesInUse(cancellationToken)))
        {
            yield return scope;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The deleted record <c>deleted/&lt;NAME&gt;.secret</c> is made durable before the live file goes: a crash in between
    /// leaves both, and a deleted record beside a live file does not count. A damaged live file cannot be kept as a
    /// deleted secret (its version and history cannot be read): an unconditional delete purges it, remembering the change
    /// version, larger than any version a name can have reached.
    /// </remarks>
    public ValueTask<bool> DeleteAsync(SecretScope scope, SecretName name, DateTimeOffset timestamp, SecretPrecondition precondition, CancellationToken cancellationToken = default)
    {
        return WriteAsync(
            batch =>
            {
                NamePaths paths = _layout.Of(scope, name);
                if (batch.Read(paths.Live) is not { } content)
                {
                    Require(precondition, scope, name, null);
                    return false;
                }

                SecretRecord live;
                try
                {
                    live = DecodeLive(scope, paths.Live, content);
                }
                catch (SecretStoreException) when (precondition.IsNone)
                {
                    // A damaged file can still be deleted unconditionally; a conditional delete needs its version.
                    PurgeDamaged(batch, scope, paths, paths.Live);
                    return true;
                }

                Require(precondition, scope, name, live.Secret.Version);
                batch.CreateDirectory(_layout.DeletedFolder(scope));
                batch.Write(paths.Deleted, SecretFile.Encode(live with { DeletedAt = timestamp }));
                batch.Delete(paths.Live);
                batch.Touch(scope);
                return true;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads the small file <c>keys</c>. A store written before the record existed has none: the first call builds it
    /// once from the envelopes held, under the store lock.
    /// </remarks>
    public async ValueTask<IReadOnlySet<MasterKeyId>> GetKeyIdsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Run(ReadKeyRecord) is { } recorded)
        {
            return recorded;
        }

        return await RunLockedAsync(
            () =>
            {
                return ReadOrBuildKeyRecord(cancellationToken);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlySet<MasterKeyId>> AddKeyIdAsync(MasterKeyId keyId, MasterKeyId? admittedBy, CancellationToken cancellationToken = default)
    {
        return await RunLockedAsync(
            () =>
            {
                HashSet<MasterKeyId> recorded = ReadOrBuildKeyRecord(cancellationToken);
                bool admitted = admittedBy is { } admitting ? recorded.Contains(admitting) : recorded.Count == 0;
                if (admitted && recorded.Add(keyId))
                {
                    Replace(_keyRecord, KeyRecordFile.Encode(recorded));
                }

                return recorded;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>Reads every secret file that counts (live, deleted, older versions) while holding the store lock, so no envelope under the key can land meanwhile.</remarks>
    public async ValueTask<bool> RemoveKeyIdAsync(MasterKeyId keyId, CancellationToken cancellationToken = default)
    {
        return await RunLockedAsync(
            () =>
            {
                HashSet<MasterKeyId> recorded = ReadOrBuildKeyRecord(cancellationToken);
                if (!recorded.Contains(keyId) || KeyIdsOfEnvelopes(cancellationToken).Contains(keyId))
                {
                    return false;
                }

                recorded.Remove(keyId);
                Replace(_keyRecord, KeyRecordFile.Encode(recorded));
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<long> GetChangeVersionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Run(_changes.Read));
    }

    /// <inheritdoc />
    /// <remarks>Reads one 16-byte file per scope asked about; no secret is read.</remarks>
    public ValueTask<IReadOnlyCollection<SecretScope>> GetChangedScopesAsync(long since, long until, IReadOnlyCollection<SecretScope> scopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var changed = new List<SecretScope>();
        foreach (SecretScope scope in scopes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long version = Run(() => ChangeCounter.ReadFile(Path.Combine(_layout.ScopeFolder(scope), StoreLayout.ChangesFile)));
            if (version > since && version <= until)
            {
                changed.Add(scope);
            }
        }

        return ValueTask.FromResult<IReadOnlyCollection<SecretScope>>(changed);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Watches the file <c>changes</c> (inotify on Linux), which every write updates. Where the file system does not
    /// notify (some network file systems), or the watcher cannot start, only polling finds other processes' changes.
    /// </remarks>
    public IChangeToken WatchChanges()
    {
        lock (_watchLock)
        {
            if (_watcher is null)
            {
                try
                {
                    _watcher = new FileSystemWatcher(RootPath, StoreLayout.ChangesFile) { NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size };
                    _watcher.Changed += (_, _) => FireChanged();
                    _watcher.Error += (_, e) =>
                    {
                        FileSystemStoreLog.WatcherFailed(_logger, RootPath, e.GetException());
                        FireChanged();
                    };
                    _watcher.EnableRaisingEvents = true;
                }
                catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or UnauthorizedAccessException)
                {
                    // For example the inotify watch limit: polling still finds every change.
                    FileSystemStoreLog.WatcherFailed(_logger, RootPath, ex);
                    _watcher?.Dispose();
                    _watcher = null;
                    return new CancellationChangeToken(CancellationToken.None);
                }
            }

            return _changed.Token;
        }
    }

    /// <summary>Stops watching and closes the change version file.</summary>
    public void Dispose()
    {
        lock (_watchLock)
        {
            _watcher?.Dispose();
            _watcher = null;
        }

        _changes.Dispose();
        _changed.Dispose();
    }

    /// <summary>Names the store by its folder.</summary>
    /// <returns>For example <c>FileSystemSecretStore(/var/lib/rootcx/vault)</c>.</returns>
    public override string ToString() => $"FileSystemSecretStore({RootPath})";

    /// <summary>Refuses a write whose precondition the secret as read under the store lock does not meet.</summary>
    private static void Require(SecretPrecondition precondition, SecretScope scope, SecretName name, long? currentVersion)
    {
        if (!precondition.IsMetBy(currentVersion))
        {
            throw new SecretConflictException(scope, name, precondition, currentVersion);
        }
    }

    private static bool IsFileSystemFailure(Exception exception) => exception is IOException or UnauthorizedAccessException;

    private SecretStoreException Failed(Exception exception) =>
        new($"The file system store at '{RootPath}' could not complete the operation; the inner exception holds the file system's error.", exception);

    /// <summary>Runs a read; a file system error surfaces as <see cref="SecretStoreException"/>, as in every store.</summary>
    private T Run<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failed(ex);
        }
    }

    /// <summary>Runs a write under the store lock; a file system error surfaces as <see cref="SecretStoreException"/>.</summary>
    private async ValueTask<T> RunLockedAsync<T>(Func<T> write, CancellationToken cancellationToken)
    {
        try
        {
            using (await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false))
            {
                return write();
            }
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failed(ex);
        }
    }

    /// <summary>Runs a write in the next group commit; a file system error surfaces as <see cref="SecretStoreException"/>.</summary>
    private async ValueTask<T> WriteAsync<T>(Func<WriteBatch, T> write, CancellationToken cancellationToken)
    {
        try
        {
            return await _writes.RunAsync(write, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsFileSystemFailure(ex))
        {
            throw Failed(ex);
        }
    }

    private List<StoredSecret> ReadScope(SecretScope scope, CancellationToken cancellationToken)
    {
        var secrets = new List<StoredSecret>();
        foreach (string path in DiskFiles.Instance.List(_layout.ScopeFolder(scope), StoreLayout.SecretExtension))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Gone since the listing when deleted meanwhile.
            if (DiskFiles.Instance.Read(path) is { } content)
            {
                secrets.Add(DecodeLive(scope, path, content).Secret);
            }
        }

        return secrets;
    }

    private List<SecretScope> ScopesInUse(CancellationToken cancellationToken)
    {
        var scopes = new List<SecretScope>();
        foreach ((SecretScope scope, string directory) in ScopeDirectories())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Directory.EnumerateFiles(directory, "*" + StoreLayout.SecretExtension).Any() || HoldsDeleted(scope))
            {
                scopes.Add(scope);
            }
        }

        return scopes;
    }

    // A folder no namespace maps to is unreachable through the vault, so it is not a scope.
    private IEnumerable<(SecretScope Scope, string Directory)> ScopeDirectories() =>
        from directory in Directory.EnumerateDirectories(_layout.Scopes)
        let @namespace = Path.GetFileName(directory)
        where @namespace == SecretScope.PlatformNamespace || SecretScope.IsValidAppId(@namespace)
        select (SecretScope.FromNamespace(@namespace), directory);

    /// <summary>
    /// Makes a batch of writes durable, then moves each scope's version, and last the store's, to one new value, so a
    /// poller that sees the store's new version finds the scopes' too. Runs while holding the store lock.
    /// </summary>
    private void Commit(WriteBatch batch)
    {
        RemoveStrayTemporaryFilesOnce();
        try
        {
            DurableBatch.Commit(batch, _temporary);
        }
        finally
        {
            // Also when the batch failed part-way: what landed is announced (at worst a change that is none).
            AdvanceChangeVersions(batch.Scopes);
        }
    }

    private void AdvanceChangeVersions(IReadOnlyCollection<SecretScope> scopes)
    {
        if (scopes.Count == 0)
        {
            return;
        }

        long next = _changes.Next();
        foreach (SecretScope scope in scopes)
        {
            ChangeCounter.WriteFile(Path.Combine(_layout.ScopeFolder(scope), StoreLayout.ChangesFile), next);
        }

        _changes.Write(next);
    }

    private void FireChanged()
    {
        try
        {
            _changed.Fire();
        }
        catch (AggregateException ex)
        {
            // Raised on the watcher's thread, where an escaping exception would end the process.
            FileSystemStoreLog.ChangeCallbackFailed(_logger, ex);
        }
    }

    private HashSet<MasterKeyId>? ReadKeyRecord() =>
        DiskFiles.Instance.Read(_keyRecord) is { } content ? KeyRecordFile.Decode(content, _keyRecord) : null;

    /// <summary>Call only while holding the store lock.</summary>
    private HashSet<MasterKeyId> ReadOrBuildKeyRecord(CancellationToken cancellationToken)
    {
        if (ReadKeyRecord() is { } recorded)
        {
            return recorded;
        }

        HashSet<MasterKeyId> inUse = KeyIdsOfEnvelopes(cancellationToken);
        if (inUse.Count > 0)
        {
            Replace(_keyRecord, KeyRecordFile.Encode(inUse));
        }

        return inUse;
    }

    /// <summary>The key ids of every envelope held that counts: live, deleted and older versions. Call only while holding the store lock.</summary>
    private HashSet<MasterKeyId> KeyIdsOfEnvelopes(CancellationToken cancellationToken)
    {
        var keyIds = new HashSet<MasterKeyId>();
        foreach ((SecretScope scope, _) in ScopeDirectories())
        {
            IEnumerable<StoredSecret> held = [
                .. ReadScope(scope, cancellationToken),
                .. ReadDeletedScope(scope).Select(d => d.Secret),
                .. ReadHistoryScope(scope, cancellationToken)];
            keyIds.UnionWith(held.Select(s => s.KeyId));
        }

        return keyIds;
    }

    /// <summary>Call only while holding the store lock.</summary>
    /// <exception cref="SecretStoreException">The key id is not in the record.</exception>
    private void RequireRecordedKey(MasterKeyId keyId)
    {
        if (ReadKeyRecord() is not { } recorded || !recorded.Contains(keyId))
        {
            throw new SecretStoreException(
                $"The envelope is sealed under master key {keyId}, which the store '{RootPath}' was not set up with; nothing was written.");
        }
    }

    /// <summary>Replaces a file durably. Call only while holding the store lock.</summary>
    private void Replace(string path, ReadOnlySpan<byte> content)
    {
        RemoveStrayTemporaryFilesOnce();
        DurableFile.Replace(path, _temporary, content);
    }

    // A temporary file outlives its writer only when the writer died; holding the lock proves none is being written.
    // It runs at the first write, never at open, so a process that is refused (a wrong key) changes nothing.
    private void RemoveStrayTemporaryFilesOnce()
    {
        if (_strayFilesRemoved)
        {
            return;
        }

        foreach (string stray in Directory.EnumerateFiles(_temporary))
        {
            File.Delete(stray);
            FileSystemStoreLog.RemovedStrayFile(_logger, stray);
        }

        _strayFilesRemoved = true;
    }
}
