using RootCx.Vault.Cryptography;

namespace RootCx.Vault.Storage;

/// <summary>A secret as a store holds it: an opaque envelope and its metadata.</summary>
/// <param name="Scope">The secret's scope.</param>
/// <param name="Name">The secret's name, spelled as last written.</param>
/// <param name="Envelope">The sealed envelope.</param>
/// <param name="CreatedAt">When the secret was first written.</param>
/// <param name="UpdatedAt">When the secret was last written.</param>
/// <param name="Version">One more on every write; never repeats for a name, also across delete and re-create.</param>
public sealed record StoredSecret(
    SecretScope Scope,
    SecretName Name,
    ReadOnlyMemory<byte> Envelope,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    /// <summary>Gets the id of the master key that sealed the envelope, read from its header.</summary>
    public MasterKeyId KeyId => SecretEnvelope.ReadKeyId(Envelope.Span);

    /// <summary>Describes the secret without its envelope.</summary>
    /// <returns>Scope, name and version.</returns>
    public override string ToString() => $"StoredSecret({Scope}/{Name}, version {Version})";
}
