using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RootCx.Vault;
using RootCx.Vault.Auditing;
using RootCx.Vault.Changes;
using RootCx.Vault.DependencyInjection;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.Injection;
using RootCx.Vault.KeyLoading;
using RootCx.Vault.Management;
using RootCx.Vault.Runtime;
using RootCx.Vault.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers RootCx.Vault.</summary>
public static class RootCxVaultServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecretVault"/> (management) and <see cref="ISecretReader"/> (runtime). Pick a store on
    /// the returned builder. Options are validated, and the master key checked against the store, when the host starts.
    /// </summary>
    /// <param name="services">The services to add to.</param>
    /// <param name="configure">Configures the options; may be <see langword="null"/>.</param>
    /// <returns>A builder on which to choose a store.</returns>
    public static IRootCxVaultBuilder AddRootCxVault(this IServiceCollection services, Action<RootCxVaultOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<RootCxVaultOptions> options = services.AddOptions<RootCxVaultOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<RootCxVaultOptions>, MasterKeyFromEnvironment>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RootCxVaultOptions>, RootCxVaultOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, VaultStartupCheck>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeletedSecretPurger>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new VaultTelemetry(sp.GetService<IMeterFactory>()));

        // What the vault does through the store is measured and traced; the change feed's polls are not, or every
        // few seconds of an idle host would make a span.
        services.TryAddSingleton(sp => new InstrumentedSecretStore(sp.GetRequiredService<ISecretStore>(), sp.GetRequiredService<VaultTelemetry>()));
        services.TryAddSingleton(sp => new KeyRingLoader(
            sp.GetRequiredService<IOptions<RootCxVaultOptions>>(), sp.GetRequiredService<InstrumentedSecretStore>(), sp.GetService<ILogger<KeyRingLoader>>()));
        // Audit: the log sink is built in, and the store's durable log (the one ISecretAuditLog: a store chosen later
        // replaces it, so an earlier store's log is never written) is one more sink.
        services.TryAddSingleton<ISecretAuditActor, ProcessAuditActor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISecretAuditSink, LoggerAuditSink>(sp => new LoggerAuditSink(sp.GetService<ILoggerFactory>())));
        services.TryAddSingleton(sp => new SecretAuditTrail(
            sp.GetServices<ISecretAuditSink>().Append(sp.GetService<ISecretAuditLog>()).OfType<ISecretAuditSink>().Distinct(),
            sp.GetRequiredService<ISecretAuditActor>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<VaultTelemetry>(),
            sp.GetService<ILogger<SecretAuditTrail>>()));
        services.TryAddSingleton<SecretChangeFeed>();
        services.TryAddSingleton<ISecretChangeFeed>(sp => sp.GetRequiredService<SecretChangeFeed>());
        services.TryAddSingleton<ISecretVault>(sp => new SecretVault(
            sp.GetRequiredService<InstrumentedSecretStore>(),
            sp.GetRequiredService<KeyRingLoader>(),
            sp.GetRequiredService<SecretChangeFeed>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<VaultTelemetry>(),
            sp.GetRequiredService<SecretAuditTrail>(),
            sp.GetRequiredService<IOptions<RootCxVaultOptions>>(),
            sp.GetService<ISecretAuditLog>(),
            sp.GetService<ILogger<SecretVault>>()));
        services.TryAddSingleton<ISecretReader>(sp => new SecretReader(
            sp.GetRequiredService<InstrumentedSecretStore>(), sp.GetRequiredService<KeyRingLoader>(), sp.GetRequiredService<VaultTelemetry>(), sp.GetRequiredService<SecretAuditTrail>(), sp.GetService<ILogger<SecretReader>>()));
        services.AddOptions<SecretInjectionOptions>();
        services.TryAddSingleton<ISecretInjector, SecretInjector>();
        services.TryAddSingleton<IntegrationConfigResolver>();
        return new RootCxVaultBuilder(services);
    }

    /// <summary>Configures how app secrets become environment variables (see <see cref="SecretInjectionOptions"/>).</summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder ConfigureInjection(this IRootCxVaultBuilder builder, Action<SecretInjectionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Stores secrets in <typeparamref name="TStore"/>, replacing any store chosen before (and its durable audit log).</summary>
    /// <typeparam name="TStore">The store type, created by the container as a singleton.</typeparam>
    /// <param name="builder">The vault builder.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder UseStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>(this IRootCxVaultBuilder builder)
        where TStore : class, ISecretStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecretStore, TStore>());
        ForgetEarlierAuditLog(builder.Services);
        return builder;
    }

    /// <summary>Stores secrets in the store <paramref name="factory"/> makes, replacing any store chosen before (and its durable audit log).</summary>
    /// <param name="builder">The vault builder.</param>
    /// <param name="factory">Creates the store, once.</param>
    /// <returns>The same builder.</returns>
    public static IRootCxVaultBuilder UseStore(this IRootCxVaultBuilder builder, Func<IServiceProvider, ISecretStore> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton(factory));
        ForgetEarlierAuditLog(builder.Services);
        return builder;
    }

    // A durable audit log belongs to the store that registered it: a store chosen afterwards must not leave events
    // going to the one it replaced. Register an ISecretAuditLog after UseStore to keep one.
    private static void ForgetEarlierAuditLog(IServiceCollection services) => services.RemoveAll<ISecretAuditLog>();

    private sealed class RootCxVaultBuilder(IServiceCollection services) : IRootCxVaultBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
