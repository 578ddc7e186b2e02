namespace RootCx.Vault.FileSystem;

/// <summary>
/// The store's files as an operation sees them: on disk for a reader (<see cref="DiskFiles"/>), or on disk with the
/// writes queued before it for a write in a group commit (<see cref="WriteBatch"/>).
/// </summary>
internal interface IFileView
{
    /// <summary>Returns the file's content, or <see langword="null"/> when it has none.</summary>
    byte[]? Read(string path);

    bool Exists(string path);

    /// <summary>Returns the paths of the files in <paramref name="directory"/> whose name ends with <paramref name="extension"/>; none when the folder does not exist.</summary>
    IReadOnlyCollection<string> List(string directory, string extension);
}

/// <summary>The files on disk, as readers (who take no lock) see them.</summary>
internal sealed class DiskFiles : IFileView
{
    public static readonly DiskFiles Instance = new();

    private DiskFiles()
    {
    }

    public byte[]? Read(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public bool Exists(string path) => File.Exists(path);

    public IReadOnlyCollection<string> List(string directory, string extension)
    {
        try
        {
            return [.. Directory.EnumerateFiles(directory, "*" + extension)];
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }
}
