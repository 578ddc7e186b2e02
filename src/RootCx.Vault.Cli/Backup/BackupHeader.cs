using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// The fixed header of a backup file, big-endian: magic <c>RCXB</c>, version, protection, PBKDF2 iterations, salt,
/// a random file id and the time the export began. Every record's associated data holds these exact bytes.
/// </summary>
internal sealed class BackupHeader
{
    private readonly byte[] _bytes;

    private BackupHeader(byte[] bytes, BackupProtectionKind protection, int iterations, DateTimeOffset exportedAt)
    {
        _bytes = bytes;
        Protection = protection;
        Iterations = iterations;
        ExportedAt = exportedAt;
    }

    public BackupProtectionKind Protection { get; }

    /// <summary>Gets the PBKDF2 iteration count; 0 with a backup key.</summary>
    public int Iterations { get; }

    /// <summary>Gets when the export began: a secret written after it may be missing from the backup.</summary>
    public DateTimeOffset ExportedAt { get; }

    /// <summary>Gets the PBKDF2 salt; zeros with a backup key.</summary>
    public ReadOnlySpan<byte> Salt => _bytes.AsSpan(10, BackupFormat.SaltSize);

    /// <summary>Gets the header as written, for the associated data.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A header for a new backup, with a fresh salt (passphrase only) and file id.</summary>
    public static BackupHeader Create(BackupProtectionKind protection, DateTimeOffset exportedAt)
    {
        int iterations = protection == BackupProtectionKind.Passphrase ? BackupFormat.DefaultIterations : 0;
        byte[] bytes = new byte[BackupFormat.HeaderSize];
        BackupFormat.Magic.CopyTo(bytes);
        bytes[4] = BackupFormat.Version;
        bytes[5] = (byte)protection;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(6), (uint)iterations);
        if (protection == BackupProtectionKind.Passphrase)
        {
            RandomNumberGenerator.Fill(bytes.AsSpan(10, BackupFormat.SaltSize));
        }

        RandomNumberGenerator.Fill(bytes.AsSpan(10 + BackupFormat.SaltSize, BackupFormat.FileIdSize));
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(42), exportedAt.UtcTicks);
        return new BackupHeader(bytes, protection, iterations, exportedAt);
    }

    /// <summary>Reads and checks a header. Nothing in it is trusted yet: the first record authenticates it.</summary>
    /// <exception cref="OperatorException">Not a backup, an unknown version or protection, or an iteration count out of bounds.</exception>
    public static BackupHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < BackupFormat.HeaderSize || !bytes[..4].SequenceEqual(BackupFormat.Magic))
        {
            throw new OperatorException("The file is not a rootcx-vault backup (it does not start with RCXB).");
        }

        if (bytes[4] != BackupFormat.Version)
        {
            throw new OperatorException($"The backup has format version {bytes[4]}; this tool reads version {BackupFormat.Version}.");
        }

        var protection = (BackupProtectionKind)bytes[5];
        uint iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes[6..]);
        ReadOnlySpan<byte> salt = bytes.Slice(10, BackupFormat.SaltSize);
        switch (protection)
        {
            case BackupProtectionKind.Passphrase when iterations is < BackupFormat.MinIterations or > BackupFormat.MaxIterations:
                throw new OperatorException(
                    $"The backup asks for {iterations} PBKDF2 iterations; only {BackupFormat.MinIterations} to {BackupFormat.MaxIterations} are accepted.");
            case BackupProtectionKind.Passphrase:
                break;
            case BackupProtectionKind.Key when iterations != 0 || salt.ContainsAnyExcept((byte)0):
                throw new OperatorException("The backup's header is damaged: a backup under a key has no iterations and no salt.");
            case BackupProtectionKind.Key:
                break;
            default:
                throw new OperatorException($"The backup's header is damaged: unknown protection {bytes[5]}.");
        }

        long ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[42..]);
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            throw new OperatorException("The backup's header is damaged: the export time is out of range.");
        }

        return new BackupHeader(bytes[..BackupFormat.HeaderSize].ToArray(), protection, (int)iterations, new DateTimeOffset(ticks, TimeSpan.Zero));
    }
}
