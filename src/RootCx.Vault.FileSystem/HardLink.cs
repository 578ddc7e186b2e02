using System.Runtime.InteropServices;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// A second name for an existing file (<c>link(2)</c>): how a set keeps the file it replaces as an older version
/// without writing its bytes again. Files are never changed in place, only replaced by rename, so both names keep the
/// content they had.
/// </summary>
internal static partial class HardLink
{
    /// <summary>
    /// Creates <paramref name="newPath"/> as a link to <paramref name="existingPath"/>; returns false where that is not
    /// possible (Windows here, a file system without hard links), and the caller writes the bytes instead.
    /// </summary>
    public static bool TryCreate(string existingPath, string newPath) =>
        !OperatingSystem.IsWindows() && Link(existingPath, newPath) == 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existingPath, string newPath);
}
