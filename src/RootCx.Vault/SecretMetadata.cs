using RootCx.Vault.Cryptography;

namespace RootCx.Vault;

/// <summary>What the management surface tells about a secret: everything but its value.</summary>
/// <param name="Name">The name, spelled as last written.</param>
/// <param name="CreatedAt">When the secret was first written.</param>
/// <param name="UpdatedAt">When the secret was last written.</param>
/// <param name="Version">1 when created, one more on every write.</param>
/// <param name="KeyId">The master key that seals it.</param>
public sealed record SecretMetadata(
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version,
    MasterKeyId KeyId);
