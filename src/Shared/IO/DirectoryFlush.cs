using System.Runtime.InteropServices;

namespace RootCx.Vault.IO;

/// <summary>
/// Makes a rename, link or delete in a folder durable: on Unix the folder itself must be fsynced, or a power loss can
/// undo the change; NTFS journals it. Compiled into each package that needs it (src/Shared/IO).
/// </summary>
internal static partial class DirectoryFlush
{
    // O_RDONLY | O_DIRECTORY | O_CLOEXEC on Linux; O_DIRECTORY differs on macOS, where O_RDONLY alone also works.
    private static int OpenReadOnlyDirectory => OperatingSystem.IsLinux() ? 0x10000 | 0x80000 : 0;

    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(directory, OpenReadOnlyDirectory);
        if (fd < 0)
        {
            throw new IOException($"Could not open the folder '{directory}' to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush the folder '{directory}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
