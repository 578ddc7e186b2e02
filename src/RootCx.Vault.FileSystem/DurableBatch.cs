using System.Runtime.ExceptionServices;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// Makes a <see cref="WriteBatch"/> durable so that, after a crash at any point, each file holds its old content or its
/// new one and readers see no state the store's rules do not allow (docs/FORMAT.md, "Writes and crashes"):
/// <list type="number">
/// <item>Before any write lands, durably: new folders; preserved files (older versions kept by a set, linked or written
/// in place, since no reader looks at them until the writes land); files a write would otherwise let readers see.
/// Each written file goes to a temporary file and is flushed, in parallel with all of that.</item>
/// <item>The writes land: every temporary file is renamed into place, then each folder flushed once.</item>
/// <item>What the writes replace goes: deletes, flushed; discards (files readers ignore), not flushed.</item>
/// </list>
/// </summary>
internal static class DurableBatch
{
    public static void Commit(WriteBatch batch, string temporaryDirectory)
    {
        var before = new HashSet<string>(batch.NewFolderParents, StringComparer.Ordinal);
        var files = new List<KeyValuePair<string, byte[]>>();
        var renames = new List<KeyValuePair<string, string>>();
        foreach ((string path, FileChange change) in batch.Files)
        {
            switch (change.Kind)
            {
                case FileChangeKind.Preserve:
                    File.Delete(path);
                    if (change.Content is not null || !HardLink.TryCreate(change.Source!, path))
                    {
                        files.Add(KeyValuePair.Create(path, change.Content ?? File.ReadAllBytes(change.Source!)));
                    }

                    before.Add(Path.GetDirectoryName(path)!);
                    break;
                case FileChangeKind.RemoveFirst:
                    File.Delete(path);
                    before.Add(Path.GetDirectoryName(path)!);
                    break;
                case FileChangeKind.Write:
                    string temporary = Path.Combine(temporaryDirectory, $"{Guid.NewGuid():N}.tmp");
                    files.Add(KeyValuePair.Create(temporary, change.Content!));
                    renames.Add(KeyValuePair.Create(temporary, path));
                    break;
            }
        }

        try
        {
            Action[] flushes = [.. files.Select(f => (Action)(() => WriteFlushed(f.Key, f.Value))), .. before.Select(d => (Action)(() => DurableFile.FlushDirectory(d)))];
            RunTogether(flushes);
            foreach ((string temporary, string path) in renames)
            {
                File.Move(temporary, path, overwrite: true);
            }
        }
        catch
        {
            renames.ForEach(r => TryDeleteTemporary(r.Key));
            throw;
        }

        FlushFolders(renames.Select(r => r.Value));
        FlushFolders(RemoveAll(batch, FileChangeKind.Delete));
        _ = RemoveAll(batch, FileChangeKind.Discard);
        foreach (string folder in batch.FoldersToRemoveWhenEmpty)
        {
            TryRemoveEmptyFolder(folder);
        }
    }

    // The disk takes flushes together: one at a time, each would wait for the one before.
    private static void RunTogether(Action[] actions)
    {
        if (actions.Length == 1)
        {
            actions[0]();
            return;
        }

        try
        {
            Parallel.Invoke(actions);
        }
        catch (AggregateException ex)
        {
            // The first failure, as one flush alone raises it: the store reports file system errors by their type.
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    private static void WriteFlushed(string path, byte[] content)
    {
        using var stream = new FileStream(path, DurableFile.OwnerOnly(FileMode.CreateNew, FileAccess.Write, FileShare.None));
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Removes the files of the batch with a change of <paramref name="kind"/>; returns those that existed.</summary>
    private static List<string> RemoveAll(WriteBatch batch, FileChangeKind kind)
    {
        var removed = new List<string>();
        foreach ((string path, FileChange change) in batch.Files)
        {
            if (change.Kind == kind && File.Exists(path))
            {
                File.Delete(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    /// <summary>Flushes the folder of each file once.</summary>
    private static void FlushFolders(IEnumerable<string> files)
    {
        foreach (string folder in files.Select(f => Path.GetDirectoryName(f)!).Distinct(StringComparer.Ordinal))
        {
            DurableFile.FlushDirectory(folder);
        }
    }

    // Never over the failure being reported: a temporary file left behind is removed at a later first write.
    private static void TryDeleteTemporary(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryRemoveEmptyFolder(string folder)
    {
        try
        {
            Directory.Delete(folder);
        }
        catch (IOException)
        {
            // Not empty (a later write of the batch kept a file in it), or gone: either way nothing to do.
        }
    }
}
