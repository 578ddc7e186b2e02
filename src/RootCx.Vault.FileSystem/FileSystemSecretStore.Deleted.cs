using System.Runtime.CompilerServices;
using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>Deleted secrets: <c>scopes/&lt;ns&gt;/deleted/&lt;NAME&gt;.secret</c>, then <c>&lt;NAME&gt;.purged</c> once purged.</summary>
public sealed partial class FileSystemSecretStore
{
    /// <inheritdoc />
    public async IAsyncEnumerable<DeletedSecret> ListDeletedAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (DeletedSecret deleted in Run(() => ReadDeletedScope(scope)))
        {
            yield return deleted;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The live file is written and renamed into place before the deleted record goes, unflushed: beside a live file a
    /// deleted record does not count, so should it come back after a power loss it changes nothing.
    /// </remarks>
    public ValueTask<StoredSecret?> RecoverAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        WriteAsync(
            batch =>
            {
                NamePaths paths = _layout.Of(scope, name);
                if (ReadDeleted(batch, scope, paths) is not { } deleted)
                {
                    return null;
                }

                batch.Write(paths.Live, SecretFile.Encode(deleted with { DeletedAt = null }));
                batch.Discard(paths.Deleted);
                batch.Touch(scope);
                return deleted.Secret;
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// The tombstone <c>deleted/&lt;NAME&gt;.purged</c> (the version) is made durable first, then the deleted record and the
    /// history files go, flushed: a crash in between leaves the deleted secret as it was, or a purged name whose leftover
    /// history no record counts. A damaged deleted file is purged too, at the change version (its version cannot be
    /// read), and <see langword="null"/> returned: there is no deleted secret to return.
    /// </remarks>
    public ValueTask<DeletedSecret?> PurgeAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default) =>
        WriteAsync(
            batch =>
            {
                NamePaths paths = _layout.Of(scope, name);
                SecretRecord? deleted;
                try
                {
                    deleted = ReadDeleted(batch, scope, paths);
                }
                catch (SecretStoreException)
                {
                    // Only a deleted file that counts is decoded, so it is this one that is damaged.
                    PurgeDamaged(batch, scope, paths, paths.Deleted);
                    FileSystemStoreLog.PurgedDamagedDeletedFile(_logger, paths.Deleted);
                    return null;
                }

                return deleted is null ? null : Purge(batch, paths, new DeletedSecret(deleted.Secret, deleted.DeletedAt!.Value));
            },
            cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// One group commit for the whole store: the secrets it returns are purged together, or none is. A damaged deleted
    /// file is skipped and logged (its deletion time cannot be read; <see cref="PurgeAsync"/> purges it by name). History
    /// folders of names with neither a live nor a deleted file (what a purge cut short by a crash left) go too.
    /// </remarks>
    public ValueTask<IReadOnlyList<DeletedSecret>> PurgeDeletedAsync(DateTimeOffset deletedBefore, CancellationToken cancellationToken = default) =>
        WriteAsync<IReadOnlyList<DeletedSecret>>(
            batch =>
            {
                var purged = new List<DeletedSecret>();
                foreach ((SecretScope scope, _) in ScopeDirectories())
                {
                    foreach (string path in batch.List(_layout.DeletedFolder(scope), StoreLayout.SecretExtension))
                    {
                        NamePaths paths = _layout.Of(scope, StoreLayout.FileNameOf(path));
                        SecretRecord? deleted;
                        try
                        {
                            deleted = ReadDeleted(batch, scope, paths);
                        }
                        catch (SecretStoreException)
                        {
                            FileSystemStoreLog.SkippedDamagedDeletedFile(_logger, path);
                            continue;
                        }

                        if (deleted is { DeletedAt: { } deletedAt } && deletedAt < deletedBefore)
                        {
                            purged.Add(Purge(batch, paths, new DeletedSecret(deleted.Secret, deletedAt)));
                        }
                    }

                    RemoveOrphanedHistory(batch, scope);
                }

                return purged;
            },
            cancellationToken);

    private static DeletedSecret Purge(WriteBatch batch, NamePaths paths, DeletedSecret deleted)
    {
        batch.Write(paths.Purged, TombstoneFile.Encode(deleted.Secret.Version));
        batch.Delete(paths.Deleted);
        DeleteHistory(batch, paths);
        batch.Touch(deleted.Secret.Scope);
        return deleted;
    }

    /// <summary>
    /// Purges a secret whose file (<paramref name="damaged"/>: the live file, or the deleted one) is damaged, remembering
    /// the change version (larger than any version a name can have reached): there is nothing it could be recovered to.
    /// </summary>
    private void PurgeDamaged(WriteBatch batch, SecretScope scope, NamePaths paths, string damaged)
    {
        // A deleted record left beside the live file by a crash would count once the live file is gone, with an older version.
        if (damaged != paths.Deleted && batch.Exists(paths.Deleted))
        {
            batch.RemoveFirst(paths.Deleted);
        }

        batch.CreateDirectory(_layout.DeletedFolder(scope));
        batch.Write(paths.Purged, TombstoneFile.Encode(_changes.Read()));
        batch.Delete(damaged);
        DeleteHistory(batch, paths);
        batch.Touch(scope);
    }

    /// <summary>Removes the history folders of names with neither a live nor a deleted file: no record counts them.</summary>
    private void RemoveOrphanedHistory(WriteBatch batch, SecretScope scope)
    {
        string folder = _layout.HistoryFolder(scope);
        if (!Directory.Exists(folder))
        {
            return;
        }

        foreach (string nameFolder in Directory.EnumerateDirectories(folder))
        {
            // A folder no name maps to is not the store's to judge; it is left alone.
            string fileName = Path.GetFileName(nameFolder);
            NamePaths paths = _layout.Of(scope, fileName);
            if (SecretName.IsValid(fileName) && !fileName.Any(char.IsAsciiLetterLower) && !batch.Exists(paths.Live) && !batch.Exists(paths.Deleted))
            {
                DeleteHistory(batch, paths);
            }
        }
    }

    /// <summary>The deleted secrets of a scope that count (<see cref="ReadDeleted"/>).</summary>
    private List<DeletedSecret> ReadDeletedScope(SecretScope scope)
    {
        DiskFiles files = DiskFiles.Instance;
        var deleted = new List<DeletedSecret>();
        foreach (string path in files.List(_layout.DeletedFolder(scope), StoreLayout.SecretExtension))
        {
            if (ReadDeleted(files, scope, _layout.Of(scope, StoreLayout.FileNameOf(path))) is { } record)
            {
                deleted.Add(new DeletedSecret(record.Secret, record.DeletedAt!.Value));
            }
        }

        return deleted;
    }

    /// <summary>Whether the scope holds a deleted secret that counts, read from file names alone.</summary>
    private bool HoldsDeleted(SecretScope scope) =>
        DiskFiles.Instance.List(_layout.DeletedFolder(scope), StoreLayout.SecretExtension)
            .Any(path => !File.Exists(_layout.Of(scope, StoreLayout.FileNameOf(path)).Live));
}
