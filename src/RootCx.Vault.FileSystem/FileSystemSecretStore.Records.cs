using RootCx.Vault.Storage;

namespace RootCx.Vault.FileSystem;

/// <summary>Reading a name's files, and the rules that say which of them count (docs/FORMAT.md, "Writes and crashes").</summary>
public sealed partial class FileSystemSecretStore
{
    /// <summary>The live secret's record, or <see langword="null"/>.</summary>
    private static SecretRecord? ReadLive(IFileView files, SecretScope scope, NamePaths paths) =>
        files.Read(paths.Live) is { } content ? DecodeLive(scope, paths.Live, content) : null;

    private static SecretRecord DecodeLive(SecretScope scope, string path, byte[] content)
    {
        SecretRecord record = DecodePlaced(scope, path, content);
        return record.DeletedAt is null ? record : throw SecretFile.Damaged(path, "it holds a deleted secret's record");
    }

    /// <summary>
    /// The deleted secret's record, or <see langword="null"/>. A deleted record beside a live file does not count: a
    /// crash left it there (a delete that did not finish, or a recover or set whose clean-up was lost), and the live
    /// secret is the newer.
    /// </summary>
    private static SecretRecord? ReadDeleted(IFileView files, SecretScope scope, NamePaths paths)
    {
        if (files.Exists(paths.Live) || files.Read(paths.Deleted) is not { } content)
        {
            return null;
        }

        SecretRecord record = DecodePlaced(scope, paths.Deleted, content);
        return record.DeletedAt is not null ? record : throw SecretFile.Damaged(paths.Deleted, "it holds a live secret's record");
    }

    /// <summary>The record the name's history belongs to: the live secret's, else the deleted secret's, else none.</summary>
    private static SecretRecord? ReadCurrent(IFileView files, SecretScope scope, NamePaths paths) =>
        ReadLive(files, scope, paths) ?? ReadDeleted(files, scope, paths);

    private static SecretRecord DecodePlaced(SecretScope scope, string path, byte[] content)
    {
        SecretRecord record = SecretFile.Decode(scope, content, path);

        // Where a secret is stored is what it is: a record naming another secret was moved or copied here.
        return Path.GetFileName(path) == StoreLayout.FileNameOf(record.Secret.Name)
            ? record
            : throw SecretFile.Damaged(path, $"it holds the record of secret '{record.Secret.Name}', not of the secret its file name says");
    }

    /// <summary>The name's history entries on disk, by file name, whether or not they count.</summary>
    private static List<HistoryFile> ListHistoryFiles(IFileView files, NamePaths paths) =>
        [.. from path in files.List(paths.HistoryFolder, StoreLayout.SecretExtension)
            let version = StoreLayout.VersionOfHistoryEntry(path)
            where version is not null
            select new HistoryFile(version.Value, path)];

    /// <summary>The older versions that count for the name (<see cref="SecretRecord.HoldsInHistory"/>), newest first.</summary>
    private static List<StoredSecret> ReadHistory(SecretScope scope, NamePaths paths)
    {
        DiskFiles files = DiskFiles.Instance;
        if (ReadCurrent(files, scope, paths) is not { } current)
        {
            return [];
        }

        var history = new List<StoredSecret>();
        foreach (HistoryFile entry in ListHistoryFiles(files, paths).Where(e => current.HoldsInHistory(e.Version)).OrderByDescending(e => e.Version))
        {
            // Gone since the listing when a set dropped it meanwhile.
            if (files.Read(entry.Path) is { } content)
            {
                history.Add(DecodeHistoryEntry(scope, entry, content));
            }
        }

        return history;
    }

    private static StoredSecret DecodeHistoryEntry(SecretScope scope, HistoryFile entry, byte[] content)
    {
        StoredSecret secret = SecretFile.Decode(scope, content, entry.Path).Secret;
        return secret.Version == entry.Version && Path.GetFileName(Path.GetDirectoryName(entry.Path)) == StoreLayout.FolderNameOf(secret.Name)
            ? secret
            : throw SecretFile.Damaged(entry.Path, $"it holds version {secret.Version} of secret '{secret.Name}', not the version and secret its path says");
    }

    /// <summary>The version the name had when purged (or deleted, by layout 2): 0 when never; when its tombstone is damaged, the change version, above any version a name can have reached.</summary>
    private long PurgedVersion(IFileView files, NamePaths paths) =>
        Math.Max(TombstoneVersion(files, paths.Purged), TombstoneVersion(files, paths.LegacyTombstone));

    private long TombstoneVersion(IFileView files, string path) =>
        files.Read(path) is { } content ? TombstoneFile.Decode(content) ?? _changes.Read() : 0;

    /// <summary>One file of a name's history folder: the version its file name says, and its path.</summary>
    private readonly record struct HistoryFile(long Version, string Path);
}
