using System.Buffers.Binary;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// The sizes and rules of the backup file, version 1 (docs/FORMAT.md, "Backup file"): a fixed header, then records
/// sealed one by one with AES-256-GCM, each bound by its associated data to the header, its index and whether it is
/// the file's last record, so records cannot be reordered, dropped, truncated away or spliced in from another backup.
/// </summary>
internal static class BackupFormat
{
    public const byte Version = 1;
    public const int KeySize = 32;
    public const int SaltSize = 16;
    public const int FileIdSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>magic, version, protection, iterations, salt, file id, export time.</summary>
    public const int HeaderSize = 4 + 1 + 1 + 4 + SaltSize + FileIdSize + 8;

    /// <summary>Each record: ciphertext length (uint32), nonce, then ciphertext and tag.</summary>
    public const int RecordPrefixSize = 4 + NonceSize;

    /// <summary>The header, the record's index (uint64) and the final-record flag.</summary>
    public const int AssociatedDataSize = HeaderSize + 8 + 1;

    /// <summary>The largest record plaintext: kind, the longest namespace and name, times, version, the largest value.</summary>
    public const int MaxPlaintextSize = 1 + 1 + SecretScope.MaxAppIdLength + 1 + SecretName.MaxLength + 8 + 8 + 8 + 4 + ISecretVault.MaxValueUtf8Bytes;

    /// <summary>OWASP's current recommendation for PBKDF2-HMAC-SHA256 (Password Storage Cheat Sheet).</summary>
    public const int DefaultIterations = 600_000;

    /// <summary>Below this a backup is refused: it would fall to a guessing attack long before OWASP's count.</summary>
    public const int MinIterations = 100_000;

    /// <summary>Above this a backup is refused: a file must not make import spend minutes before it can even fail.</summary>
    public const int MaxIterations = 10_000_000;

    public static ReadOnlySpan<byte> Magic => "RCXB"u8;

    /// <summary>AAD = header || uint64 BE index || final (0x01 for the file's last record, else 0x00).</summary>
    public static void WriteAssociatedData(Span<byte> destination, ReadOnlySpan<byte> header, ulong index, bool final)
    {
        header.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[HeaderSize..], index);
        destination[HeaderSize + 8] = final ? (byte)1 : (byte)0;
    }
}
