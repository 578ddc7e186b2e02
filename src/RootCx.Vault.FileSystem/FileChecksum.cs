using System.Security.Cryptography;

namespace RootCx.Vault.FileSystem;

/// <summary>
/// The last 8 bytes of every store file: the first 8 bytes of SHA-256 of all that precedes them, so a truncated or
/// overwritten file is told apart from a valid one. It detects damage, not tampering: envelopes carry their own tag.
/// </summary>
internal static class FileChecksum
{
    public const int Size = 8;

    /// <summary>Writes the checksum of <paramref name="content"/> into <paramref name="destination"/>.</summary>
    public static void Write(ReadOnlySpan<byte> content, Span<byte> destination)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(content, hash);
        hash[..Size].CopyTo(destination);
    }

    /// <summary>Returns whether <paramref name="file"/> ends with the checksum of what precedes it.</summary>
    public static bool IsValid(ReadOnlySpan<byte> file)
    {
        if (file.Length < Size)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[Size];
        Write(file[..^Size], expected);
        return expected.SequenceEqual(file[^Size..]);
    }
}
