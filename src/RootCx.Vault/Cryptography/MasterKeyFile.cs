using System.Security.Cryptography;
using System.Text;

namespace RootCx.Vault.Cryptography;

/// <summary>
/// The key file: 64 lowercase hexadecimal characters and a line feed, owner-only (0600) on Unix from the first byte.
/// </summary>
internal static class MasterKeyFile
{
    private const int MaxFileSize = 1024;
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
    /// Creates the key file with a new key, or reads the one another process created first. The key is written to a
    /// private temporary file and published with a rename that never overwrites, so a reader never sees half a key and
    /// processes racing to create it all end up with the winner's key.
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
            File.Move(temporary, path, overwrite: false);
            created = true;
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            key.Dispose();
            created = false;
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
