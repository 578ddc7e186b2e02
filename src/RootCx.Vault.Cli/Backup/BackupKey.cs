using System.Security.Cryptography;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// The 32-byte AES-256-GCM key of one backup, in a pinned buffer cleared on dispose: derived from a passphrase with
/// the platform's PBKDF2-HMAC-SHA256, or read from a backup key file (64 hex characters, as <c>keygen</c> prints).
/// </summary>
internal sealed class BackupKey : IDisposable
{
    private readonly byte[] _key = GC.AllocateArray<byte>(BackupFormat.KeySize, pinned: true);

    private BackupKey()
    {
    }

    public ReadOnlySpan<byte> Bytes => _key;

    /// <summary>PBKDF2-HMAC-SHA256(UTF-8 passphrase, salt, iterations), 32 bytes.</summary>
    public static BackupKey FromPassphrase(ReadOnlySpan<byte> utf8Passphrase, BackupHeader header)
    {
        var key = new BackupKey();
        Rfc2898DeriveBytes.Pbkdf2(utf8Passphrase, header.Salt, key._key, header.Iterations, HashAlgorithmName.SHA256);
        return key;
    }

    /// <exception cref="OperatorException">The file cannot be read or does not hold 64 hex characters; its content is never echoed.</exception>
    public static BackupKey FromKeyFile(string path)
    {
        byte[] text;
        try
        {
            // A key file is 65 bytes; a large file is not one, and is not read into memory.
            var info = new FileInfo(path);
            if (info.Exists && info.Length > 1024)
            {
                throw new OperatorException($"The backup key file '{Path.GetFullPath(path)}' is not a key file: it is larger than 1024 bytes.");
            }

            text = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OperatorException($"Could not read the backup key file '{Path.GetFullPath(path)}': {ex.Message}");
        }

        var key = new BackupKey();
        try
        {
            ReadOnlySpan<byte> hex = text.AsSpan().Trim(" \t\r\n"u8);
            if (hex.Length != BackupFormat.KeySize * 2
                || Convert.FromHexString(hex, key._key, out _, out int written) != System.Buffers.OperationStatus.Done
                || written != BackupFormat.KeySize)
            {
                throw new OperatorException(
                    $"The backup key file '{Path.GetFullPath(path)}' must hold {BackupFormat.KeySize * 2} hex characters (rootcx-vault keygen prints one).");
            }

            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);
}
