namespace RootCx.Vault;

/// <summary>
/// Decrypts secrets for the runtime, in memory, at the moment it starts a backend or builds an integration's
/// configuration. Never expose this surface over HTTP. Dispose what it returns as soon as the plaintext is handed on.
/// </summary>
public interface ISecretReader
{
    /// <summary>Decrypts one secret.</summary>
    /// <param name="scope">The secret's scope.</param>
    /// <param name="name">The secret's name, matched ignoring case.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plaintext, or <see langword="null"/> when the secret does not exist.</returns>
    /// <exception cref="SecretDecryptionException">The stored envelope fails to open.</exception>
    ValueTask<SecretValue?> GetAsync(SecretScope scope, string name, CancellationToken cancellationToken = default);

    /// <summary>Decrypts every secret of a scope. Fails as a whole when one envelope fails to open.</summary>
    /// <param name="scope">The scope to read.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plaintexts, ordered by name.</returns>
    /// <exception cref="SecretDecryptionException">A stored envelope fails to open.</exception>
    ValueTask<SecretBundle> GetAllAsync(SecretScope scope, CancellationToken cancellationToken = default);
}
