namespace RootCx.Vault.FileSystem;

/// <summary>
/// What a batch of writes (<see cref="GroupCommit"/>) will leave on disk: the final content of each file it writes,
/// or that the file goes, and the scopes it changed. Reads through the batch see the writes applied before them.
/// </summary>
internal sealed class WriteBatch
{
    private readonly Dictionary<string, byte[]?> _files = new(StringComparer.Ordinal);
    private readonly List<Action> _undo = [];
    private readonly HashSet<SecretScope> _scopes = [];

    /// <summary>Gets the files to write, in no particular order: each holds its final content, so renames are independent.</summary>
    public IEnumerable<KeyValuePair<string, byte[]>> Written =>
        _files.Where(f => f.Value is not null).Select(f => KeyValuePair.Create(f.Key, f.Value!));

    /// <summary>Gets the files to delete.</summary>
    public IEnumerable<string> Deleted => _files.Where(f => f.Value is null).Select(f => f.Key);

    /// <summary>Gets the scopes whose change versions move.</summary>
    public IReadOnlyCollection<SecretScope> Scopes => _scopes;

    /// <summary>Returns the content the file has at this point of the batch, or <see langword="null"/> when it has none.</summary>
    public byte[]? Read(string path)
    {
        if (_files.TryGetValue(path, out byte[]? content))
        {
            return content;
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Write(string path, byte[] content) => Set(path, content);

    public void Delete(string path) => Set(path, null);

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

    private void Set(string path, byte[]? content)
    {
        if (_files.TryGetValue(path, out byte[]? before))
        {
            _undo.Add(() => _files[path] = before);
        }
        else
        {
            _undo.Add(() => _files.Remove(path));
        }

        _files[path] = content;
    }

    public readonly record struct Savepoint(int UndoCount);
}
