using Microsoft.Extensions.Diagnostics.HealthChecks;
using RootCx.Vault.Diagnostics;
using RootCx.Vault.KeyLoading;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the vault's health check.</summary>
public static class RootCxVaultHealthChecksBuilderExtensions
{
    /// <summary>The name the check is registered under unless another is given.</summary>
    public const string DefaultName = "rootcx-vault";

    /// <summary>
    /// Adds a check that the vault's store answers and that the master key matches the store's key record. Unhealthy
    /// (or <paramref name="failureStatus"/>) names the problem: an unreachable store, a key check that failed, an
    /// unknown key id, an active key the store retired. Degraded: previous keys still configured after a rotation has
    /// finished. It never names a secret. Call <c>AddRootCxVault()</c> on the services as well.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status reported on failure; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by, for example to map readiness and liveness apart.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddRootCxVault(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new VaultHealthCheck(sp.GetRequiredService<KeyRingLoader>(), sp.GetRequiredService<InstrumentedSecretStore>()),
            failureStatus,
            tags));
    }
}
