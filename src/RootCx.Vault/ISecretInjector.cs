namespace RootCx.Vault;

/// <summary>Builds the environment a backend process starts with: each app secret becomes a variable of its name.</summary>
public interface ISecretInjector
{
    /// <summary>Decrypts an app's secrets (and platform secrets, when configured) into an environment to apply.</summary>
    /// <param name="appId">The app whose backend is starting.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The environment; dispose it once applied.</returns>
    ValueTask<SecretEnvironment> BuildEnvironmentAsync(string appId, CancellationToken cancellationToken = default);
}
