namespace RootCx.Vault;

/// <summary>What the management surface tells about a secret: everything but its value.</summary>
public sealed class SecretMetadata
{
    internal SecretMetadata(string name, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version, MasterKeyId keyId)
    {
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        Version = version;
        KeyId = keyId;
    }

    /// <summary>Gets the name, spelled as last written.</summary>
    public string Name { get; }

    /// <summary>Gets when the secret was first written.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when the secret was last written.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Gets the version: 1 when created, one more on every write.</summary>
    public long Version { get; }

    /// <summary>Gets the id of the master key that seals the secret.</summary>
    public MasterKeyId KeyId { get; }

    /// <summary>Describes the secret; there is no value to leave out.</summary>
    /// <returns>Name and version.</returns>
    public override string ToString() => $"SecretMetadata({Name}, version {Version})";
}
