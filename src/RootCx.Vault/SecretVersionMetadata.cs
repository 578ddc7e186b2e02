namespace RootCx.Vault;

/// <summary>One version of a secret as its history lists it: everything but the value, which never leaves the vault.</summary>
public sealed class SecretVersionMetadata
{
    internal SecretVersionMetadata(long version, DateTimeOffset writtenAt, MasterKeyId keyId, string? actor, bool isCurrent)
    {
        Version = version;
        WrittenAt = writtenAt;
        KeyId = keyId;
        Actor = actor;
        IsCurrent = isCurrent;
    }

    /// <summary>Gets the version number; restore an older one with <see cref="ISecretVault.RestoreVersionAsync"/>.</summary>
    public long Version { get; }

    /// <summary>Gets when this version was written.</summary>
    public DateTimeOffset WrittenAt { get; }

    /// <summary>Gets the id of the master key that seals this version.</summary>
    public MasterKeyId KeyId { get; }

    /// <summary>Gets who wrote this version, from the durable audit trail; <see langword="null"/> when the trail does not say.</summary>
    public string? Actor { get; }

    /// <summary>Gets whether this is the secret's current version, the one the runtime reads.</summary>
    public bool IsCurrent { get; }

    /// <summary>Describes the version; there is no value to leave out.</summary>
    /// <returns>Version and time.</returns>
    public override string ToString() => $"SecretVersionMetadata({Version}, {WrittenAt:O}{(IsCurrent ? ", current" : "")})";
}
