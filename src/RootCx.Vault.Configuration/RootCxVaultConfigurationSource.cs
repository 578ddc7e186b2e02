using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RootCx.Vault.Configuration;

/// <summary>Describes where an app's secrets come from; builds a <see cref="RootCxVaultConfigurationProvider"/>.</summary>
public sealed class RootCxVaultConfigurationSource : IConfigurationSource
{
    /// <summary>Gets or sets the app whose secrets are loaded.</summary>
    public required string AppId { get; init; }

    /// <summary>Gets or sets the store verb, for example <c>vault =&gt; vault.PersistToFileSystem(path)</c>.</summary>
    public required Action<IRootCxVaultBuilder> ConfigureVault { get; init; }

    /// <summary>Gets or sets the vault options (master key and change polling); may be <see langword="null"/>.</summary>
    public Action<RootCxVaultOptions>? ConfigureOptions { get; init; }

    /// <summary>
    /// Gets or sets where the provider and its private vault log, for example a failed reload; configuration is built
    /// before the host's services, so the host passes one it made (<c>LoggerFactory.Create(…)</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: nothing is logged.</value>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new RootCxVaultConfigurationProvider(this);
}
