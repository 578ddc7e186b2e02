namespace RootCx.Vault.Cli.Backup;

/// <summary>How a backup's key is obtained: the header's protection byte.</summary>
internal enum BackupProtectionKind : byte
{
    /// <summary>PBKDF2-HMAC-SHA256 of a passphrase, with the header's salt and iteration count.</summary>
    Passphrase = 1,

    /// <summary>A separate 32-byte backup key, used as it is.</summary>
    Key = 2,
}
