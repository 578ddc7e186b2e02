namespace RootCx.Vault;

/// <summary>How an audited operation ended.</summary>
public enum SecretAuditOutcome
{
    /// <summary>The operation did what was asked (a delete of an absent secret, or a read of one, included).</summary>
    Succeeded = 1,

    /// <summary>A conditional write was refused: the secret's version did not match the precondition.</summary>
    Conflict = 2,

    /// <summary>The store or the cipher failed (unreachable store, envelope that does not open).</summary>
    Failed = 3,
}
