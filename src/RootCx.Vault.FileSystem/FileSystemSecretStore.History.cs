using System.Runtime.CompilerServices;
using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>Older versions: <c>scopes/&lt;ns&gt;/history/&lt;NAME&gt;/&lt;version&gt;.secret</c>.</summary>
public sealed partial class FileSystemSecretStore
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredSecret>> GetHistoryAsync(SecretScope scope, SecretName name, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IReadOnlyList<StoredSecret>>(Run(() => ReadHistory(scope, _layout.Of(scope, name))));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredSecret> ListHistoryAsync(SecretScope scope, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (StoredSecret older in Run(() => ReadHistoryScope(scope, cancellationToken)))
        {
            yield return older;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>The entry is replaced like any file (written aside, flushed, renamed); no change version moves.</remarks>
    public ValueTask<bool> ReplaceHistoryEnvelopeAsync(SecretScope scope, SecretName name, long version, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, CancellationToken cancellationToken = default) =>
        WriteAsync(
            batch =>
            {
                RequireRecordedKey(keyId);
                NamePaths paths = _layout.Of(scope, name);
                var entry = new HistoryFile(version, paths.HistoryEntry(version));
                if (ReadCurrent(batch, scope, paths) is not { } current || !current.HoldsInHistory(version) || batch.Read(entry.Path) is not { } content)
                {
                    return false;
                }

                StoredSecret old = DecodeHistoryEntry(scope, entry, content);
                batch.Write(entry.Path, SecretFile.Encode(new StoredSecret(scope, old.Name, envelope, keyId, old.CreatedAt, old.UpdatedAt, old.Version)));
                return true;
            },
            cancellationToken);

    private List<StoredSecret> ReadHistoryScope(SecretScope scope, CancellationToken cancellationToken)
    {
        var history = new List<StoredSecret>();
        string folder = _layout.HistoryFolder(scope);
        if (!Directory.Exists(folder))
        {
            return history;
        }

        foreach (string nameFolder in Directory.EnumerateDirectories(folder))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // A folder no name maps to holds no name's history.
            string fileName = Path.GetFileName(nameFolder);
            if (SecretName.IsValid(fileName) && !fileName.Any(char.IsAsciiLetterLower))
            {
                history.AddRange(ReadHistory(scope, _layout.Of(scope, fileName)));
            }
        }

        return history;
    }

    /// <summary>
    /// Keeps the record a set replaces (at <paramref name="replaced"/>'s path) as an older version, drops the versions
    /// beyond <paramref name="maxVersions"/> and any file of the folder that does not count; returns the new record's
    /// <see cref="SecretRecord.HistoryFrom"/>. The drops are discards: once the new record lands they no longer count.
    /// </summary>
    private long KeepHistory(WriteBatch batch, SecretScope scope, NamePaths paths, (SecretRecord Record, string Path)? replaced, int maxVersions, long version)
    {
        List<HistoryFile> onDisk = ListHistoryFiles(batch, paths);
        List<long> kept = [];
        if (replaced is { } old && maxVersions > 1)
        {
            kept = [.. onDisk.Select(e => e.Version).Where(old.Record.HoldsInHistory).Prepend(old.Record.Secret.Version).OrderDescending().Take(maxVersions - 1)];
        }

        foreach (HistoryFile entry in onDisk.Where(e => !kept.Contains(e.Version)))
        {
            batch.Discard(entry.Path);
        }

        if (kept.Count == 0)
        {
            return version;
        }

        (SecretRecord record, string source) = replaced!.Value;
        batch.CreateDirectory(_layout.HistoryFolder(scope));
        batch.CreateDirectory(paths.HistoryFolder);
        batch.Preserve(paths.HistoryEntry(record.Secret.Version), source);
        return kept[^1];
    }

    /// <summary>
    /// Removes, before the write lands, the history entries at or above <paramref name="version"/>: entries a set that
    /// crashed before its rename left, which a record moved past <paramref name="version"/> without a set would count.
    /// </summary>
    private static void RemoveHistoryAtOrAbove(WriteBatch batch, NamePaths paths, long version)
    {
        foreach (HistoryFile entry in ListHistoryFiles(batch, paths).Where(e => e.Version >= version))
        {
            batch.RemoveFirst(entry.Path);
        }
    }

    /// <summary>Removes a name's history durably, and its folder once empty.</summary>
    private static void DeleteHistory(WriteBatch batch, NamePaths paths)
    {
        foreach (HistoryFile entry in ListHistoryFiles(batch, paths))
        {
            batch.Delete(entry.Path);
        }

        batch.RemoveWhenEmpty(paths.HistoryFolder);
    }
}
