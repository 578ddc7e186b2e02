namespace RootCx.Vault.Cli.Backup;

/// <summary>What import does with the target's secrets that the backup does not hold.</summary>
internal enum ImportMode
{
    /// <summary>Leaves them.</summary>
    Merge,

    /// <summary>Deletes them, in the scopes the backup holds, unless written after the export (a conflict).</summary>
    Replace,
}
