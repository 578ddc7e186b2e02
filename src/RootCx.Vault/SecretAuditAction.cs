namespace RootCx.Vault;

/// <summary>What an audited operation did. The numbers are stable; names are what the durable logs store.</summary>
public enum SecretAuditAction
{
    /// <summary>A secret was created or replaced.</summary>
    Set = 1,

    /// <summary>A secret was deleted: it is recoverable until purged.</summary>
    Delete = 2,

    /// <summary>Key rotation re-sealed one secret under the active master key.</summary>
    Rotate = 3,

    /// <summary>The runtime decrypted every secret of a scope.</summary>
    ReadAll = 4,

    /// <summary>The runtime decrypted one secret.</summary>
    Read = 5,

    /// <summary>The runtime built an app's environment (its reads are audited as <see cref="ReadAll"/> too).</summary>
    BuildEnvironment = 6,

    /// <summary>An older version was restored: sealed again as the newest version.</summary>
    Restore = 7,

    /// <summary>A deleted secret was brought back, with its history.</summary>
    Recover = 8,

    /// <summary>A deleted secret and its history were destroyed, by request or when its retention ran out.</summary>
    Purge = 9,
}
