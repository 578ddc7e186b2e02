namespace RootCx.Vault.Storage;

/// <summary>A secret as a store holds it: an opaque envelope and its metadata.</summary>
public sealed class StoredSecret
{
    /// <summary>Creates the record of a stored secret.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, spelled as last written.</param>
    /// <param name="envelope">The sealed envelope.</param>
    /// <param name="keyId">The id of the master key that sealed the envelope, as the vault gave it to the store.</param>
    /// <param name="createdAt">When the secret was first written.</param>
    /// <param name="updatedAt">When the secret was last written.</param>
    /// <param name="version">One more on every write; never repeats for a name, also across delete and re-create.</param>
    public StoredSecret(SecretScope scope, SecretName name, ReadOnlyMemory<byte> envelope, MasterKeyId keyId, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version)
    {
        Scope = scope;
        Name = name;
        Envelope = envelope;
        KeyId = keyId;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
        Version = version;
    }

    /// <summary>Gets the secret's scope.</summary>
    public SecretScope Scope { get; }

    /// <summary>Gets the secret's name, spelled as last written.</summary>
    public SecretName Name { get; }

    /// <summary>Gets the sealed envelope.</summary>
    public ReadOnlyMemory<byte> Envelope { get; }

    /// <summary>Gets the id of the master key that sealed the envelope, as the vault gave it to the store.</summary>
    public MasterKeyId KeyId { get; }

    /// <summary>Gets when the secret was first written.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Gets when the secret was last written.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Gets the secret's version: one more on every write; never repeats for a name, also across delete and re-create.</summary>
    public long Version { get; }

    /// <summary>Describes the secret without its envelope.</summary>
    /// <returns>Scope, name and version.</returns>
    public override string ToString() => $"StoredSecret({Scope}/{Name}, version {Version})";
}
