namespace RootCx.Vault;

/// <summary>A deleted secret that can still be recovered: everything but its value, and when it will be purged.</summary>
public sealed class DeletedSecretMetadata
{
    internal DeletedSecretMetadata(SecretMetadata secret, DateTimeOffset deletedAt, DateTimeOffset purgeAfter)
    {
        Name = secret.Name;
        Version = secret.Version;
        KeyId = secret.KeyId;
        CreatedAt = secret.CreatedAt;
        UpdatedAt = secret.UpdatedAt;
        DeletedAt = deletedAt;
        PurgeAfter = purgeAfter;
    }

    /// <summary>Gets the name, spelled as last written.</summary>
    public string Name { get; }

    /// <summary>Gets the version it had when deleted, which it keeps when recovered.</summary>
    public long Version { get; }

    /// <summary>Gets the id of the master key that seals it.</summary>
    public MasterKeyId KeyId { get; }

    /// <summary>Gets when the secret was first written.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when the secret was last written.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Gets when it was deleted.</summary>
    public DateTimeOffset DeletedAt { get; }

    /// <summary>Gets when its retention (<see cref="RootCxVaultOptions.DeletedRetention"/>) ends: from then on the purge service destroys it.</summary>
    public DateTimeOffset PurgeAfter { get; }

    /// <summary>Describes the deleted secret; there is no value to leave out.</summary>
    /// <returns>Name, version and deletion time.</returns>
    public override string ToString() => $"DeletedSecretMetadata({Name}, version {Version}, deleted {DeletedAt:O})";
}
