using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Primitives;

namespace RootCx.Vault.Configuration;

/// <summary>
/// Exposes an app's secrets as configuration (<c>Stripe__ApiKey</c> becomes <c>Stripe:ApiKey</c>, as for environment
/// variables) and reloads them, firing the configuration reload token, whenever the vault's change feed reports a
/// change to the app, from this process or any other sharing the store.
/// </summary>
/// <remarks>
/// Configuration holds values as strings, which cannot be cleared: this provider suits hosts that run an app
/// in-process; process-based backends should get their secrets through <see cref="ISecretInjector"/>.
/// </remarks>
public sealed class RootCxVaultConfigurationProvider : ConfigurationProvider, IDisposable
{
    private readonly ServiceProvider _services;
    private readonly SecretScope _scope;
    private readonly IDisposable _reloadRegistration;
    private readonly ILogger _logger;

    /// <summary>Builds a private vault as <paramref name="source"/> describes and starts watching the app.</summary>
    /// <param name="source">The app and the vault's store and options.</param>
    public RootCxVaultConfigurationProvider(RootCxVaultConfigurationSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _scope = SecretScope.ForApp(source.AppId);

        // A private container: configuration is built before the host's own services exist.
        var services = new ServiceCollection();
        services.AddSingleton(source.LoggerFactory ?? NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        IRootCxVaultBuilder vault = services.AddRootCxVault(source.ConfigureOptions);
        source.ConfigureVault(vault);
        _services = services.BuildServiceProvider();
        _logger = _services.GetRequiredService<ILogger<RootCxVaultConfigurationProvider>>();

        ISecretChangeFeed changes = _services.GetRequiredService<ISecretChangeFeed>();
        _reloadRegistration = ChangeToken.OnChange(() => changes.GetChangeToken(_scope), Reload);
    }

    /// <summary>Reads the app's secrets.</summary>
    public override void Load()
    {
        // IConfigurationProvider.Load is synchronous, so it blocks on the store, as Microsoft's own providers of
        // remote configuration do (Azure Key Vault's among them). The feed's starting point is read first, so a change
        // made elsewhere after this read is reported, never taken for what was read.
        _services.GetRequiredService<ISecretChangeFeed>().StartAsync().GetAwaiter().GetResult();
        using SecretBundle secrets = _services.GetRequiredService<ISecretReader>().GetAllAsync(_scope).AsTask().GetAwaiter().GetResult();
        Data = secrets.ToDictionary(
            s => s.Name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal),
            s => (string?)s.RevealString(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Stops watching and releases the private vault.</summary>
    public void Dispose()
    {
        _reloadRegistration.Dispose();
        _services.Dispose();
    }

    /// <summary>Names the app, never a value.</summary>
    /// <returns>For example <c>RootCxVaultConfigurationProvider(shop)</c>.</returns>
    public override string ToString() => $"{nameof(RootCxVaultConfigurationProvider)}({_scope})";

    // A reload that fails keeps the values loaded before, and says why: the next change tries again.
    private void Reload()
    {
        try
        {
            Load();
        }
        catch (Exception ex) when (ex is RootCxVaultException or IOException or System.Security.Cryptography.CryptographicException)
        {
            ConfigurationLog.ReloadFailed(_logger, _scope, ex);
            return;
        }

        OnReload();
    }
}
