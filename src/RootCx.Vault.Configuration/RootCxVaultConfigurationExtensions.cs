using RootCx.Vault.Configuration;

namespace Microsoft.Extensions.Configuration;

/// <summary>Adds RootCx.Vault secrets to configuration.</summary>
public static class RootCxVaultConfigurationExtensions
{
    /// <summary>Loads <paramref name="appId"/>'s secrets into configuration and reloads them when they change.</summary>
    /// <param name="builder">The configuration builder.</param>
    /// <param name="appId">The app whose secrets are loaded.</param>
    /// <param name="configureVault">The store verb, for example <c>vault =&gt; vault.PersistToFileSystem(path)</c>.</param>
    /// <param name="configureOptions">The vault options (master key and change polling); may be <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where the provider logs (a failed reload, say); nowhere when <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    public static IConfigurationBuilder AddRootCxVault(
        this IConfigurationBuilder builder,
        string appId,
        Action<Microsoft.Extensions.DependencyInjection.IRootCxVaultBuilder> configureVault,
        Action<RootCx.Vault.RootCxVaultOptions>? configureOptions = null,
        Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configureVault);
        return builder.Add(new RootCxVaultConfigurationSource
        {
            AppId = appId,
            ConfigureVault = configureVault,
            ConfigureOptions = configureOptions,
            LoggerFactory = loggerFactory,
        });
    }
}
