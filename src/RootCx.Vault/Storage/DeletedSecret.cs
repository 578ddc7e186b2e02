namespace RootCx.Vault.Storage;

/// <summary>A deleted secret a store still keeps, recoverable until it is purged: the secret as it was and when it was deleted.</summary>
public sealed class DeletedSecret
{
    /// <summary>Creates the record of a deleted secret.</summary>
    /// <param name="secret">The secret as it was when deleted (its envelope kept for recovery).</param>
    /// <param name="deletedAt">When it was deleted.</param>
    public DeletedSecret(StoredSecret secret, DateTimeOffset deletedAt)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Secret = secret;
        DeletedAt = deletedAt;
    }

    /// <summary>Gets the secret as it was when deleted.</summary>
    public StoredSecret Secret { get; }

    /// <summary>Gets when it was deleted.</summary>
    public DateTimeOffset DeletedAt { get; }

    /// <summary>Describes the deleted secret without its envelope.</summary>
    /// <returns>Scope, name, version and deletion time.</returns>
    public override string ToString() => $"DeletedSecret({Secret.Scope}/{Secret.Name}, version {Secret.Version}, deleted {DeletedAt:O})";
}
