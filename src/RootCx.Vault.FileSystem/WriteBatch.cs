namespace RootCx.Vault.FileSystem;

/// <summary>
/// What a batch of writes (<see cref="GroupCommit"/>) will leave on disk: the final change to each file it touches, the
/// folders it made and the scopes it changed. Reads through the batch see the writes applied before them.
/// <see cref="DurableBatch"/> makes it durable in the order each kind of change needs.
/// </summary>
internal sealed class WriteBatch : IFileView
{
    private readonly Dictionary<string, FileChange> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _newFolderParents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _foldersToRemoveWhenEmpty = new(StringComparer.Ordinal);
    private readonly List<Action> _undo = [];
    private readonly HashSet<SecretScope> _scopes = [];

    /// <summary>Gets each file's final change, in no particular order: each is independent of the others.</summary>
    public IReadOnlyDictionary<string, FileChange> Files => _files;

    /// <summary>Gets the folders that gained a subfolder in this batch, to flush before any write lands.</summary>
    public IEnumerable<string> NewFolderParents => _newFolderParents;

    /// <summary>Gets the folders to remove once the batch's deletes left them empty.</summary>
    public IEnumerable<string> FoldersToRemoveWhenEmpty => _foldersToRemoveWhenEmpty;

    /// <summary>Gets the scopes whose change versions move.</summary>
    public IReadOnlyCollection<SecretScope> Scopes => _scopes;

    /// <summary>Returns the content the file has at this point of the batch, or <see langword="null"/> when it has none.</summary>
    public byte[]? Read(string path) => _files.TryGetValue(path, out FileChange change)
        ? change.Kind switch
        {
            FileChangeKind.Write => change.Content,
            FileChangeKind.Preserve => change.Content ?? DiskFiles.Instance.Read(change.Source!),
            _ => null,
        }
        : DiskFiles.Instance.Read(path);

    public bool Exists(string path) => _files.TryGetValue(path, out FileChange change)
        ? change.Kind is FileChangeKind.Write or FileChangeKind.Preserve
        : File.Exists(path);

    public IReadOnlyCollection<string> List(string directory, string extension)
    {
        var paths = new HashSet<string>(DiskFiles.Instance.List(directory, extension), StringComparer.Ordinal);
        foreach ((string path, FileChange change) in _files)
        {
            if (path.EndsWith(extension, StringComparison.Ordinal) && Path.GetDirectoryName(path) == directory)
            {
                _ = change.Kind is FileChangeKind.Write or FileChangeKind.Preserve ? paths.Add(path) : paths.Remove(path);
            }
        }

        return paths;
    }

    /// <summary>Replaces the file atomically: a reader, or a crash, sees the old content or the new.</summary>
    public void Write(string path, byte[] content) =>
        Set(path, _files.TryGetValue(path, out FileChange change) && change.Kind == FileChangeKind.Preserve
            ? change with { Content = content, Source = null } // Still a file no reader sees before the batch lands.
            : new FileChange(FileChangeKind.Write, content));

    /// <summary>
    /// Gives <paramref name="path"/>, a file readers ignore until the batch's writes land, the content
    /// <paramref name="source"/> has at this point, durably before any write lands: a hard link to a file the batch has
    /// not changed (no byte written), else its bytes.
    /// </summary>
    public void Preserve(string path, string source) =>
        Set(path, _files.ContainsKey(source)
            ? new FileChange(FileChangeKind.Preserve, Read(source) ?? throw new InvalidOperationException("Only a file that exists can be preserved."))
            : new FileChange(FileChangeKind.Preserve, Source: source));

    /// <summary>Removes the file durably before any write lands: one that a write of the batch would otherwise let readers see.</summary>
    public void RemoveFirst(string path) => Set(path, new FileChange(FileChangeKind.RemoveFirst));

    /// <summary>Removes the file durably once the writes have landed: what they replace.</summary>
    public void Delete(string path) => Set(path, new FileChange(FileChangeKind.Delete));

    /// <summary>Removes a file that readers ignore once the writes have landed, without flushing: should it come back, it is still ignored.</summary>
    public void Discard(string path) => Set(path, new FileChange(FileChangeKind.Discard));

    /// <summary>Creates the folder now if it is missing; its parent is flushed before any write lands, so a power loss cannot lose it with its files.</summary>
    public void CreateDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            // Not undone by a roll-back: an empty folder changes nothing a reader sees.
            DurableFile.CreateOwnerOnlyDirectory(path);
            _newFolderParents.Add(Path.GetDirectoryName(path)!);
        }
    }

    public void RemoveWhenEmpty(string folder)
    {
        if (_foldersToRemoveWhenEmpty.Add(folder))
        {
            _undo.Add(() => _foldersToRemoveWhenEmpty.Remove(folder));
        }
    }

    public void Touch(SecretScope scope)
    {
        if (_scopes.Add(scope))
        {
            _undo.Add(() => _scopes.Remove(scope));
        }
    }

    public Savepoint Save() => new(_undo.Count);

    /// <summary>Undoes what was written since <paramref name="savepoint"/>: a refused write leaves no trace.</summary>
    public void RollBack(Savepoint savepoint)
    {
        for (int i = _undo.Count - 1; i >= savepoint.UndoCount; i--)
        {
            _undo[i]();
        }

        _undo.RemoveRange(savepoint.UndoCount, _undo.Count - savepoint.UndoCount);
    }

    private void Set(string path, FileChange change)
    {
        if (_files.TryGetValue(path, out FileChange before))
        {
            _undo.Add(() => _files[path] = before);
        }
        else
        {
            _undo.Add(() => _files.Remove(path));
        }

        _files[path] = change;
    }

    public readonly record struct Savepoint(int UndoCount);
}

/// <summary>The final change a batch makes to one file.</summary>
/// <param name="Kind">What happens to the file.</param>
/// <param name="Content">The new content (<see cref="FileChangeKind.Write"/>, and <see cref="FileChangeKind.Preserve"/> when it is not a link).</param>
/// <param name="Source">The unchanged file to link (<see cref="FileChangeKind.Preserve"/>).</param>
internal readonly record struct FileChange(FileChangeKind Kind, byte[]? Content = null, string? Source = null);

/// <summary>The kinds of change, in the order <see cref="DurableBatch"/> makes them durable.</summary>
internal enum FileChangeKind
{
    /// <summary>Before any write lands: linked or written in place, since no reader looks at it until then.</summary>
    Preserve,

    /// <summary>Before any write lands: removed.</summary>
    RemoveFirst,

    /// <summary>Written to a temporary file and flushed, then renamed into place.</summary>
    Write,

    /// <summary>After the writes: removed, flushed.</summary>
    Delete,

    /// <summary>After the writes: removed, not flushed.</summary>
    Discard,
}
