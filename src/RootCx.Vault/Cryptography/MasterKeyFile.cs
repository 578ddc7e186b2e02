using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using RootCx.Vault.IO;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// The key file: 64 lowercase hexadecimal characters and a line feed, owner-only (0600) on Unix from the first byte.
/// </summary>
internal static partial class MasterKeyFile
{
    private const int MaxFileSize = 1024;
    private const int EExist = 17;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;

    /// <exception cref="MasterKeyException">The file is not a key file.</exception>
    public static MasterKey Read(string path)
    {
        byte[] content = File.ReadAllBytes(path);
        try
        {
            if (content.Length > MaxFileSize)
            {
                throw new MasterKeyException($"The master key file '{path}' is not a key file: it is larger than {MaxFileSize} bytes.");
            }

            Span<char> hex = stackalloc char[MaxFileSize];
            hex = hex[..Encoding.ASCII.GetChars(content, hex)];
            try
            {
                return MasterKey.FromHex(hex, $"the key file '{path}'");
            }
            finally
            {
                hex.Clear();
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>
    /// A creator's temporary file lives for milliseconds; one older than this was left by a process that died
    /// between writing and deleting it.
    /// </summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    /// <summary>Reads the key file, or creates it when it does not exist.</summary>
    public static MasterKey Load(string path, out bool created)
    {
        created = false;
        return File.Exists(path) ? Read(path) : CreateOrRead(path, out created);
    }

    /// <summary>
    /// Creates the key file with a new key, or reads the one another process created first. The key is written to a
    /// private temporary file and published with a hard link, which fails atomically when the file exists, so a reader
    /// never sees half a key and processes racing to create it all end up with the winner's key.
    /// </summary>
    public static MasterKey CreateOrRead(string path, out bool created)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        MasterKey key = MasterKey.Generate();
        string temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            WritePrivately(temporary, key);
            created = Publish(temporary, path);
            if (created)
            {
                // The new name must survive a power loss, or secrets sealed under the key could outlive it.
                DirectoryFlush.Flush(directory);
                return key;
            }

            key.Dispose();
            return Read(path);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Deletes temporary key files abandoned by creators that crashed: each holds a key (possibly the real one, through
    /// a hard link), so none is left lying about. Called once the key has passed the store's check.
    /// </summary>
    public static void DeleteAbandonedTemporaryFiles(string path)
    {
        var folder = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(path))!);
        foreach (FileInfo temporary in folder.EnumerateFiles($"{Path.GetFileName(path)}.*.tmp"))
        {
            // File times are the file system's real clock, so they are compared with it, not with a TimeProvider.
            if (DateTime.UtcNow - temporary.LastWriteTimeUtc > AbandonedAfter)
            {
                temporary.Delete();
            }
        }
    }

    /// <summary>Makes <paramref name="temporary"/> visible as <paramref name="path"/> unless that exists; returns whether it did.</summary>
    private static bool Publish(string temporary, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the target exists.
            try
            {
                File.Move(temporary, path, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
        }

        // File.Move(overwrite: false) is not an atomic no-overwrite publish on Unix (a regression test caught two
        // creators both winning); link(2) is: it fails with EEXIST when the name exists.
        if (Link(temporary, path) == 0)
        {
            return true;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno == EExist ? false : throw new IOException($"Could not create the master key file '{path}' (errno {errno}).");
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);

    public static bool IsReadableByOthers(string path) =>
        !OperatingSystem.IsWindows()
        && (File.GetUnixFileMode(path) & ~(OwnerOnlyFile | UnixFileMode.UserExecute)) != 0;

    private static void WritePrivately(string path, MasterKey key)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        Span<char> hex = stackalloc char[MasterKey.HexLength + 1];
        Span<byte> bytes = stackalloc byte[MasterKey.HexLength + 1];
        try
        {
            key.WriteHex(hex);
            hex[^1] = '\n';
            Encoding.ASCII.GetBytes(hex, bytes);
            using var stream = new FileStream(path, options);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            hex.Clear();
            bytes.Clear();
        }
    }
}
