namespace RootCx.Vault;

/// <summary>What an audited operation did. The numbers are stable; names are what the durable logs store.</summary>
/// <remarks>History, soft delete and recovery will add <c>Recover</c>, <c>Purge</c> and <c>Restore</c> after these.</remarks>
public enum SecretAuditAction
{
    /// <summary>A secret was created or replaced.</summary>
    Set = 1,

    /// <summary>A secret was deleted.</summary>
    Delete = 2,

    /// <summary>Key rotation re-sealed one secret under the active master key.</summary>
    Rotate = 3,

    /// <summary>The runtime decrypted every secret of a scope.</summary>
    ReadAll = 4,

    /// <summary>The runtime decrypted one secret.</summary>
    Read = 5,

    /// <summary>The runtime built an app's environment (its reads are audited as <see cref="ReadAll"/> too).</summary>
    BuildEnvironment = 6,
}
