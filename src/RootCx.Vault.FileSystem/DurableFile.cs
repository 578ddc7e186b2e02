using RootCx.Vault.IO;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// Replaces files so that a reader, a crash or a power loss sees the old content or the new, never a mix:
/// write a private temporary file, flush it to disk, rename it over the target, flush the target's folder.
/// </summary>
internal static class DurableFile
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    public static void Replace(string path, string temporaryDirectory, ReadOnlySpan<byte> content)
    {
        string temporary = Path.Combine(temporaryDirectory, $"{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, OwnerOnly(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }

        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>
    /// Replaces several files so that each is the old content or the new after a crash: every new content is written to
    /// its temporary file and flushed (in parallel: the disk can take the flushes together), then all are renamed into
    /// place and each folder is flushed once.
    /// </summary>
    public static void ReplaceAll(IReadOnlyList<KeyValuePair<string, byte[]>> files, string temporaryDirectory)
    {
        if (files.Count == 1)
        {
            Replace(files[0].Key, temporaryDirectory, files[0].Value);
            return;
        }

        string[] temporaries = [.. files.Select(_ => Path.Combine(temporaryDirectory, $"{Guid.NewGuid():N}.tmp"))];
        try
        {
            Parallel.For(0, files.Count, i =>
            {
                using var stream = new FileStream(temporaries[i], OwnerOnly(FileMode.CreateNew, FileAccess.Write, FileShare.None));
                stream.Write(files[i].Value);
                stream.Flush(flushToDisk: true);
            });

            for (int i = 0; i < files.Count; i++)
            {
                File.Move(temporaries[i], files[i].Key, overwrite: true);
            }
        }
        catch
        {
            Array.ForEach(temporaries, File.Delete);
            throw;
        }

        foreach (string directory in files.Select(f => Path.GetDirectoryName(f.Key)!).Distinct(StringComparer.Ordinal))
        {
            FlushDirectory(directory);
        }
    }

    /// <summary>Deletes the files that exist, durably, flushing each folder once.</summary>
    public static void DeleteAll(IEnumerable<string> paths)
    {
        var directories = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths.Where(File.Exists))
        {
            File.Delete(path);
            directories.Add(Path.GetDirectoryName(path)!);
        }

        foreach (string directory in directories)
        {
            FlushDirectory(directory);
        }
    }

    public static void CreateOwnerOnlyDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>Makes a rename or delete in <paramref name="directory"/> durable.</summary>
    public static void FlushDirectory(string directory) => DirectoryFlush.Flush(directory);

    /// <summary>Options that create a file owner-only (0600) from its first byte on Unix.</summary>
    public static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access, FileShare share)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = share };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }
}
