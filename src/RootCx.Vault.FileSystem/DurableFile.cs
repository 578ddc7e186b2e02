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
