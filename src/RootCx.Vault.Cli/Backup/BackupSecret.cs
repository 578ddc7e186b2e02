using System.Security.Cryptography;

namespace RootCx.Vault.Cli.Backup;

/// <summary>
/// One secret as a backup holds it: where it lived, its times and version there, and its value in a buffer that
/// <see cref="Dispose"/> clears. <see cref="ToString"/> names it and never shows the value.
/// </summary>
internal sealed class BackupSecret(SecretScope scope, SecretName name, DateTimeOffset createdAt, DateTimeOffset updatedAt, long version, byte[] utf8Value) : IDisposable
{
    public SecretScope Scope { get; } = scope;

    public SecretName Name { get; } = name;

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public DateTimeOffset UpdatedAt { get; } = updatedAt;

    /// <summary>Gets the version the secret had in the exported store; the target keeps counting its own.</summary>
    public long Version { get; } = version;

    public ReadOnlyMemory<byte> Value => utf8Value;

    public void Dispose() => CryptographicOperations.ZeroMemory(utf8Value);

    public override string ToString() => $"{Scope}/{Name}";
}
